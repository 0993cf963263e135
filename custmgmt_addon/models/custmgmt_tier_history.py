from odoo import fields, models

from .res_partner import TIER_SELECTION


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
