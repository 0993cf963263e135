from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import credit as credit_rules


class ResCompany(models.Model):
    """The credit and collection policy (信用, 应收账款) of the company."""
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_long_overdue_days = fields.Integer(
        string="Long Overdue (days)", default=60,
        help="An overdue customer is long overdue when its oldest open item is overdue this many days or more.")
    custmgmt_large_overdue_amount = fields.Float(
        string="Large Overdue Amount", default=10000.0,
        help="An overdue customer is large when it owes this much overdue or more, in company currency.")
    custmgmt_hold_overdue_days = fields.Integer(
        string="Hold Orders Overdue (days)", default=90,
        help="Orders of a customer with an open item overdue more than this many days are held.")
    custmgmt_dunning_interval_days = fields.Integer(
        string="Dunning Interval (days)", default=15,
        help="Days between two dunning letter levels.")
    custmgmt_collection_user_id = fields.Many2one(
        'res.users', string="Collection User",
        help="Finance user who sends the payment reminders of short, small overdue amounts.")
    custmgmt_finance_manager_id = fields.Many2one(
        'res.users', string="Finance Manager",
        help="Agrees special measures with the salesperson for long, large overdue amounts.")
    custmgmt_credit_hold_enabled = fields.Boolean(
        string="Credit Hold",
        help="Refuse to confirm an order that takes the paying customer over its credit limit (in company "
             "currency) or whose customer has an item overdue too long, unless Finance approves a credit "
             "exception. Core's credit-limit option only warns; this blocks. Off until Finance turns it on.")
    custmgmt_invoice_gate = fields.Boolean(
        string="Invoice Credit Gate",
        help="Also hold the posting of customer invoices that do not come from a confirmed order, with the "
             "same rules and the same Finance exception.")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_long_overdue_days', 'custmgmt_large_overdue_amount', 'custmgmt_hold_overdue_days',
                    'custmgmt_dunning_interval_days')
    def _check_custmgmt_credit_policy(self):
        for company in self:
            if not credit_rules.policy_is_valid(
                    company.custmgmt_long_overdue_days, company.custmgmt_hold_overdue_days,
                    company.custmgmt_dunning_interval_days, company.custmgmt_large_overdue_amount):
                raise ValidationError(_("Day thresholds must be at least 1 and the large amount not negative."))
