from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date

from ..rules import credit as credit_rules
from ..rules import guards
from ..rules import tiers as tier_rules

# argument of rules.tiers -> field of the company (and of res.config.settings)
TIER_POLICY_FIELDS = {
    'months': 'custmgmt_tier_months',
    'method': 'custmgmt_tier_method',
    'a_share': 'custmgmt_tier_a_share',
    'b_share': 'custmgmt_tier_b_share',
    'a_amount': 'custmgmt_tier_a_amount',
    'b_amount': 'custmgmt_tier_b_amount',
}


class ResCompany(models.Model):
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_tier_months = fields.Integer(
        string="Tier Window (months)", default=3,
        help="Number of complete calendar months averaged to tier customers.")
    custmgmt_tier_method = fields.Selection(
        [('pareto', 'Pareto share'), ('amount', 'Grade standard amount')],
        string="Tier Method", default='pareto', required=True)
    custmgmt_tier_a_share = fields.Float(
        string="A Share (%)", default=80.0,
        help="Customers ranked above this cumulative share of sales are strategic (A).")
    custmgmt_tier_b_share = fields.Float(
        string="B Share (%)", default=95.0,
        help="Customers ranked above this cumulative share of sales, and not A, are key (B).")
    custmgmt_tier_a_amount = fields.Float(
        string="A Grade Amount", default=100000.0,
        help="Monthly average from which a customer is strategic (A), in company currency.")
    custmgmt_tier_b_amount = fields.Float(
        string="B Grade Amount", default=10000.0,
        help="Monthly average from which a customer is key (B), in company currency.")
    custmgmt_tier_last_run_date = fields.Date(string="Tiers Last Computed", readonly=True)
    custmgmt_tier_last_months = fields.Integer(string="Last Tier Window (months)", readonly=True)
    custmgmt_tier_last_count = fields.Integer(string="Customers Tiered", readonly=True)
    # complaints: days to answer by the customer's tier
    custmgmt_complaint_days_a = fields.Integer(string="Complaint Days (A)", default=1)
    custmgmt_complaint_days_b = fields.Integer(string="Complaint Days (B)", default=2)
    custmgmt_complaint_days_c = fields.Integer(string="Complaint Days (C and untiered)", default=3)
    # credit and collection
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

    # service by tier: visit cadence and surveys (seed 000 §五, seed 004)
    custmgmt_visit_days_a = fields.Integer(string="Visit Interval A (days)", default=10)
    custmgmt_visit_days_b = fields.Integer(string="Visit Interval B (days)", default=15)
    custmgmt_visit_days_c = fields.Integer(string="Visit Interval C (days)", default=30)
    custmgmt_visit_leader_a = fields.Boolean(string="Team Leader Visits A", default=True)
    custmgmt_visit_leader_b = fields.Boolean(string="Team Leader Visits B", default=True)
    custmgmt_visit_leader_c = fields.Boolean(string="Team Leader Visits C", default=False)
    custmgmt_top_visit_days = fields.Integer(
        string="Top-Management Visit Interval (days)", default=90,
        help="Days between two top-management visits (高层互访) to a strategic (A) customer; 0 for none.")
    custmgmt_top_visitor_ids = fields.Many2many(
        'res.users', 'custmgmt_company_top_visitor_rel', 'company_id', 'user_id', string="Top Management",
        domain=[('share', '=', False)],
        help="Who makes the top-management visits; the sales team leader when empty.")
    custmgmt_survey_id = fields.Many2one(
        'survey.survey', string="Customer Opinion Survey", domain=[('custmgmt_opinion', '=', True)],
        help="The customer opinion form (客户意见调查表) filled in by the monthly and quarterly surveys.")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_tier_months', 'custmgmt_tier_method', 'custmgmt_tier_a_share',
                    'custmgmt_tier_b_share', 'custmgmt_tier_a_amount', 'custmgmt_tier_b_amount')
    def _check_custmgmt_tier_policy(self):
        for company in self:
            company._custmgmt_raise_policy_problems(company._custmgmt_tier_policy())

    @api.constrains('custmgmt_long_overdue_days', 'custmgmt_large_overdue_amount', 'custmgmt_hold_overdue_days',
                    'custmgmt_dunning_interval_days')
    def _check_custmgmt_credit_policy(self):
        for company in self:
            if not credit_rules.policy_is_valid(
                    company.custmgmt_long_overdue_days, company.custmgmt_hold_overdue_days,
                    company.custmgmt_dunning_interval_days, company.custmgmt_large_overdue_amount):
                raise ValidationError(_("Day thresholds must be at least 1 and the large amount not negative."))

    @api.constrains('custmgmt_visit_days_a', 'custmgmt_visit_days_b', 'custmgmt_visit_days_c',
                    'custmgmt_top_visit_days')
    def _check_custmgmt_visit_days(self):
        for company in self:
            if not all(guards.interval_days_valid(days) for days in (
                    company.custmgmt_visit_days_a, company.custmgmt_visit_days_b, company.custmgmt_visit_days_c,
                    company.custmgmt_top_visit_days)):
                raise ValidationError(_("Visit intervals are days from 0 (no visits) to %(max)s.",
                                        max=guards.MAX_INTERVAL_DAYS))

    @api.constrains('custmgmt_complaint_days_a', 'custmgmt_complaint_days_b', 'custmgmt_complaint_days_c')
    def _check_custmgmt_complaint_days(self):
        for company in self:
            if not all(guards.complaint_days_valid(days) for days in (
                    company.custmgmt_complaint_days_a, company.custmgmt_complaint_days_b,
                    company.custmgmt_complaint_days_c)):
                raise ValidationError(_("Days to answer a complaint are from 0 (the same day) to %(max)s.",
                                        max=guards.MAX_COMPLAINT_DAYS))

    # ------------------------------------------------------------
    # BUSINESS METHODS: tier policy
    # ------------------------------------------------------------

    def _custmgmt_tier_policy(self):
        self.ensure_one()
        return {key: self[fname] for key, fname in TIER_POLICY_FIELDS.items()}

    @api.model
    def _custmgmt_check_tier_manager(self):
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(_("Only customer management Managers can change the tier policy or recompute tiers."))

    @api.model
    def _custmgmt_raise_policy_problems(self, policy):
        messages = {
            'method': _("Unknown tier method."),
            'months': _("The tier window must be between 1 and 12 months."),
            'shares': _("Pareto cut points must satisfy 0 < A share < B share ≤ 100."),
            'amounts': _("Grade standard amounts must satisfy A amount > B amount ≥ 0."),
            'share_range': _("Shares are percentages from 0 to 100."),
            'amount_range': _("Grade standard amounts cannot be negative."),
        }
        problems = tier_rules.check_policy(**policy)
        if problems:
            raise ValidationError("\n".join(messages[code] for code, _msg in problems))

    def _custmgmt_tier_last_window_label(self):
        """'Aug–Oct 2026' for the window of the last recompute, '' if none."""
        self.ensure_one()
        if not self.custmgmt_tier_last_run_date or not self.custmgmt_tier_last_months:
            return ''
        start, end = tier_rules.tier_window(self.custmgmt_tier_last_run_date, self.custmgmt_tier_last_months)
        last = fields.Date.subtract(end, days=1)
        if start.month == last.month and start.year == last.year:
            return format_date(self.env, start, date_format='MMM yyyy')
        first_fmt = 'MMM' if start.year == last.year else 'MMM yyyy'
        return "%s–%s" % (format_date(self.env, start, date_format=first_fmt),
                          format_date(self.env, last, date_format='MMM yyyy'))

    def _custmgmt_tier_mark_run(self, run_date, count):
        """Remember the date, window and count of this company's last recompute
        (written only when they differ, so that a second run writes nothing)."""
        self.ensure_one()
        last = {
            'custmgmt_tier_last_run_date': run_date,
            'custmgmt_tier_last_months': self.custmgmt_tier_months,
            'custmgmt_tier_last_count': count,
        }
        if any(self[fname] != value for fname, value in last.items()):
            self.write(last)

    # ------------------------------------------------------------
    # BUSINESS METHODS: service by tier
    # ------------------------------------------------------------

    def _custmgmt_user_ids(self):
        """Ids of the active internal users who work in this company (visits
        and surveys of the company go to them only)."""
        self.ensure_one()
        return self.env['res.users'].sudo().search([
            ('company_ids', 'in', self.id), ('share', '=', False)]).ids

    def _custmgmt_service_policy(self):
        """The visit policy of this company, as ``rules.cadence`` takes it."""
        self.ensure_one()
        return {
            'intervals': {tier: self[f'custmgmt_visit_days_{tier}'] for tier in ('a', 'b', 'c')},
            'leader_tiers': tuple(tier for tier in ('a', 'b', 'c') if self[f'custmgmt_visit_leader_{tier}']),
            'top_interval': self.custmgmt_top_visit_days,
            'top_ids': self.custmgmt_top_visitor_ids.ids,
        }

    def _custmgmt_opinion_survey(self):
        self.ensure_one()
        return self.sudo().custmgmt_survey_id \
            or self.env.ref('custmgmt_addon.survey_customer_opinion', raise_if_not_found=False)
