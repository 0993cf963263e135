from odoo import api, fields, models

from ..rules import tiers as tier_rules
from ..rules.tiers import TIER_SELECTION


class CustmgmtTierHistory(models.Model):
    """One change of a customer's tier in a company, with the monthly average
    it was decided on."""
    _name = 'custmgmt.tier.history'
    _inherit = ['custmgmt.history.mixin']
    _description = "Customer Tier Change"
    _history_values = (('old_tier', 'varchar', 'old_tier'), ('new_tier', 'varchar', 'new_tier'),
                       ('monthly_average', 'float8', 'average'))

    currency_id = fields.Many2one(related='company_id.currency_id')
    old_tier = fields.Selection(TIER_SELECTION, string="Previous Tier")
    new_tier = fields.Selection(TIER_SELECTION)
    monthly_average = fields.Monetary(currency_field='currency_id')
    reason = fields.Selection([('recompute', 'Recompute'), ('manual', 'Set by hand')],
                              required=True, default='manual')
    user_id = fields.Many2one('res.users', string="By", related='create_uid')

    @api.model
    def _record_changes(self, company, changes, today, reason):
        """The one writer of tier history: a row per changed tier (the first
        classification included) and a chatter note per tier that moved up or
        down, for ``changes`` in ``company``, written at once.

        :param changes: iterable of :class:`rules.tiers.TierChange`, or of
            anything with its ``partner_id``, ``old_tier``, ``new_tier`` and
            ``average`` (the engine passes its ``TierUpdate`` rows as they are)
        :param reason: ``'recompute'`` or ``'manual'``
        """
        moved, noted = [], []
        for change in changes:
            direction = tier_rules.tier_direction(change.old_tier or None, change.new_tier or None)
            if direction:
                moved.append(change)
                if direction != 'first':
                    noted.append(change.partner_id)
        if not moved:
            return
        self._insert_history(company, moved, today, reason)
        self.env['custmgmt.tier.register'].invalidate_model()
        if noted:
            # the note names no tier nor figure (see _custmgmt_tier_note): one text for the batch
            Partner = self.env['res.partner'].with_company(company)
            note = Partner._custmgmt_tier_note(manual=reason == 'manual')
            Partner.browse(noted).sudo()._message_log_batch(bodies=dict.fromkeys(noted, note))
