from odoo import fields, models


class CustmgmtTierPosition(models.Model):
    """Where a customer stands in a company's ranking: rank, share of the sales
    ranked above it, and the day it was computed.

    These figures move for most customers whenever any customer's sales move,
    so they live in this narrow table, rewritten cheaply by the tier engine,
    rather than in the wide, heavily indexed partner table. The partner shows
    them as ``custmgmt_tier_rank``, ``custmgmt_tier_share_before`` and ``custmgmt_tier_computed_on`` of the
    current company."""
    _name = 'custmgmt.tier.position'
    _description = "Customer Position in the Tier Ranking"
    _log_access = False
    _order = 'company_id, rank'

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, ondelete='cascade')
    company_id = fields.Many2one('res.company', required=True, ondelete='cascade')
    rank = fields.Integer()
    share_before = fields.Float(string="Share Ranked Above (%)", digits=(16, 2))
    computed_on = fields.Date()

    _sql_constraints = [
        ('partner_company_uniq', 'UNIQUE(partner_id, company_id)',
         "A customer has one position per company."),
    ]
