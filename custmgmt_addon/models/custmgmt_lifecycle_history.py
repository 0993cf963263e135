from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner_lifecycle import LIFECYCLE_SELECTION


class CustmgmtLifecycleHistory(models.Model):
    """One change of a customer's lifecycle stage in a company: the shape of
    ``custmgmt.tier.history`` (customer, company, previous and new value,
    date, reason, note, by), with the last invoice date where the tier
    history keeps the monthly average."""
    _name = 'custmgmt.lifecycle.history'
    _description = "Customer Lifecycle Stage Change"
    _order = 'date desc, id desc'
    _check_company_auto = True

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True,
                                 ondelete='cascade')
    company_id = fields.Many2one('res.company', required=True, index=True, ondelete='cascade')
    old_stage = fields.Selection(LIFECYCLE_SELECTION, string="Previous Stage")
    new_stage = fields.Selection(LIFECYCLE_SELECTION)
    last_invoice_date = fields.Date(string="Last Invoiced")
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Selection([('recompute', 'Daily run'), ('manual', 'Set by hand')],
                              required=True, default='manual')
    note = fields.Char()
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
        moved = [change for change in changes if (change.old_stage or None) != (change.new_stage or None)]
        if not moved:
            return
        self.flush_model()
        self.env.execute_query(SQL(
            """
            INSERT INTO custmgmt_lifecycle_history
                   (partner_id, company_id, old_stage, new_stage, last_invoice_date, date, reason, note,
                    create_uid, create_date, write_uid, write_date)
            SELECT v.partner_id, %(company)s, v.old_stage, v.new_stage, v.last_invoice, %(today)s,
                   %(reason)s, v.note, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::int[], %(old)s::varchar[], %(new)s::varchar[], %(last)s::date[],
                          %(notes)s::varchar[])
                   AS v(partner_id, old_stage, new_stage, last_invoice, note)
            """,
            company=company.id, today=today, reason=reason, uid=self.env.uid,
            ids=[c.partner_id for c in moved], old=[c.old_stage or None for c in moved],
            new=[c.new_stage or None for c in moved], last=[c.last_invoice or None for c in moved],
            notes=[c.note or None for c in moved],
        ))
        self.invalidate_model()
