from odoo import api, fields, models

from ..rules.tiers import TIER_SELECTION


class CustmgmtCustomerMixin(models.AbstractModel):
    """A record about one customer in one company (complaint, objection,
    dispute, visit, credit review and exception, survey plan, evaluation,
    warning): the customer and its commercial entity, the company, the
    customer's salesperson, and the customer's tier in that company when the
    record was made.

    "Own customers" of a Customer Management User, in the record rules of
    every model that inherits this mixin, are the customers whose salesperson
    or archive owner the user is: ``('partner_id.user_id', '=', user.id)`` or
    ``('partner_id.custmgmt_archive_user_id', '=', user.id)`` (in Python:
    ``res.partner._custmgmt_own_ids``)."""
    _name = 'custmgmt.customer.mixin'
    _description = "Customer Management: record about a customer"
    _check_company_auto = True

    company_id = fields.Many2one('res.company', required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one('res.partner', string="Customer", index=True, check_company=True,
                                 domain=[('parent_id', '=', False)])
    commercial_partner_id = fields.Many2one(
        'res.partner', string="Commercial Entity", related='partner_id.commercial_partner_id',
        store=True, index=True)
    salesperson_id = fields.Many2one(
        'res.users', string="Customer's Salesperson", related='partner_id.commercial_partner_id.user_id',
        store=True, index=True,
        help="The customer's salesperson (on the customer), who sees the records of their customers.")
    customer_tier = fields.Selection(
        TIER_SELECTION, compute='_compute_customer_tier', store=True,
        groups='custmgmt_addon.group_custmgmt_user',  # not the complaint handlers'
        help="The customer's tier in this company when the record was made.")

    @api.depends('partner_id', 'company_id')
    def _compute_customer_tier(self):
        """Stamped when the customer or the company is set, then kept: a later
        recompute of the tiers does not rewrite what the tier was then. One
        read of the customers' tiers per company."""
        for company, records in self.grouped('company_id').items():
            customers = records.partner_id.commercial_partner_id.with_company(company).sudo()
            tiers = dict(zip(customers.ids, customers.mapped('custmgmt_tier')))
            for record in records:
                record.customer_tier = tiers.get(record.partner_id.commercial_partner_id.id, False)
