from odoo import api, fields, models

from .res_partner_lifecycle import LIFECYCLE_SELECTION


class CustmgmtLifecycleHistory(models.Model):
    """One change of a customer's lifecycle stage in a company, with the last
    invoice date it was decided on."""
    _name = 'custmgmt.lifecycle.history'
    _inherit = ['custmgmt.history.mixin']
    _description = "Customer Lifecycle Stage Change"
    _history_values = (('old_stage', 'varchar', 'old_stage'), ('new_stage', 'varchar', 'new_stage'),
                       ('last_invoice_date', 'date', 'last_invoice'))

    old_stage = fields.Selection(LIFECYCLE_SELECTION, string="Previous Stage")
    new_stage = fields.Selection(LIFECYCLE_SELECTION)
    last_invoice_date = fields.Date(string="Last Invoiced")
    reason = fields.Selection([('recompute', 'Daily run'), ('manual', 'Set by hand')],
                              required=True, default='manual')
    user_id = fields.Many2one('res.users', string="By", related='create_uid')

    @api.model
    def _record_changes(self, company, changes, today, reason):
        """The one writer of lifecycle history: a row per changed stage (the
        first staging included, with an empty previous stage) for ``changes``
        in ``company``, written at once. No chatter note: the stage moves
        with time, the history is where to read it.

        :param changes: iterable of :class:`rules.lifecycle.StageChange`
        :param reason: ``'recompute'`` or ``'manual'``
        """
        self._insert_history(company, [
            change for change in changes if (change.old_stage or None) != (change.new_stage or None)
        ], today, reason)
