from babel.dates import format_interval, format_skeleton

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import babel_locale_parse, get_lang

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
    """The tier policy (客户分级) of the company, read by ``custmgmt.tier.engine``."""
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

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_tier_months', 'custmgmt_tier_method', 'custmgmt_tier_a_share',
                    'custmgmt_tier_b_share', 'custmgmt_tier_a_amount', 'custmgmt_tier_b_amount')
    def _check_custmgmt_tier_policy(self):
        for company in self:
            company._custmgmt_raise_policy_problems(company._custmgmt_tier_policy())

    # ------------------------------------------------------------
    # BUSINESS METHODS
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
        """'Aug–Oct 2026' / '2026年8月–10月' for the window of the last
        recompute in the user's language, '' if none."""
        self.ensure_one()
        if not self.custmgmt_tier_last_run_date or not self.custmgmt_tier_last_months:
            return ''
        start, end = tier_rules.tier_window(self.custmgmt_tier_last_run_date, self.custmgmt_tier_last_months)
        last = fields.Date.subtract(end, days=1)
        locale = babel_locale_parse(get_lang(self.env).code)
        if (start.year, start.month) == (last.year, last.month):
            return format_skeleton('yMMM', start, locale=locale)
        # babel's interval ('Aug – Oct 2026', '2026年8月至10月') with the dash of the rest of the UI
        return format_interval(start, last, 'yMMM', locale=locale).replace(' – ', '–').replace('至', '–')

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
