from odoo import api, fields, models
from odoo.tools import SQL

from ..rules import tiers as tier_rules
from ..rules.tiers import TIER_SELECTION


class CustmgmtTierHistory(models.Model):
    _name = 'custmgmt.tier.history'
    _description = "Customer Tier Change"
    _order = 'date desc, id desc'
    _check_company_auto = True

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True,
                                 ondelete='cascade')
    company_id = fields.Many2one('res.company', required=True, index=True, ondelete='cascade')
    currency_id = fields.Many2one(related='company_id.currency_id')
    old_tier = fields.Selection(TIER_SELECTION, string="Previous Tier")
    new_tier = fields.Selection(TIER_SELECTION)
    monthly_average = fields.Monetary(currency_field='currency_id')
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Selection([('recompute', 'Recompute'), ('manual', 'Set by hand')],
                              required=True, default='manual')
    note = fields.Char()
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
        self.flush_model()
        self.env.execute_query(SQL(
            """
            INSERT INTO custmgmt_tier_history
                   (partner_id, company_id, old_tier, new_tier, monthly_average, date, reason, note,
                    create_uid, create_date, write_uid, write_date)
            SELECT v.partner_id, %(company)s, v.old_tier, v.new_tier, v.average, %(today)s,
                   %(reason)s, v.note, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::int[], %(old)s::varchar[], %(new)s::varchar[], %(avgs)s::float8[],
                          %(notes)s::varchar[])
                   AS v(partner_id, old_tier, new_tier, average, note)
            """,
            company=company.id, today=today, reason=reason, uid=self.env.uid,
            ids=[c.partner_id for c in moved], old=[c.old_tier or None for c in moved],
            new=[c.new_tier or None for c in moved], avgs=[c.average for c in moved],
            notes=[getattr(c, 'note', None) or None for c in moved],
        ))
        for model in ('custmgmt.tier.history', 'custmgmt.tier.register'):
            self.env[model].invalidate_model()
        if noted:
            # the note names no tier nor figure (see _custmgmt_tier_note): one text for the batch
            Partner = self.env['res.partner'].with_company(company)
            note = Partner._custmgmt_tier_note(manual=reason == 'manual')
            Partner.browse(noted).sudo()._message_log_batch(bodies=dict.fromkeys(noted, note))
