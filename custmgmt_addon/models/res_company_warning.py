from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import warnings as warning_rules

# argument of rules.warnings -> field of the company (and of res.config.settings)
WARNING_POLICY_FIELDS = {
    'decline_months': 'custmgmt_warn_decline_months',
    'decline_pct': 'custmgmt_warn_decline_pct',
    'churn_factor': 'custmgmt_warn_churn_factor',
    'churn_min_days': 'custmgmt_warn_churn_min_days',
    'delay_days': 'custmgmt_warn_delay_days',
    'overdue_days': 'custmgmt_warn_overdue_days',
    'satisfaction_low': 'custmgmt_warn_satisfaction_low',
    'satisfaction_drop': 'custmgmt_warn_satisfaction_drop',
    'complaint_count': 'custmgmt_warn_complaint_count',
    'complaint_days': 'custmgmt_warn_complaint_days',
    'stale_months': 'custmgmt_warn_stale_months',
    'credit_pct': 'custmgmt_warn_credit_pct',
}
# kind -> the company's on/off switch
WARNING_SWITCH_FIELDS = {kind: f'custmgmt_warn_{kind}' for kind in warning_rules.KINDS}
DEFAULTS = warning_rules.DEFAULTS


class ResCompany(models.Model):
    """The early-warning policy of a company: each kind on or off, its thresholds."""
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_warn_key_decline = fields.Boolean(string="Warn: Key-Customer Decline", default=True)
    custmgmt_warn_churn = fields.Boolean(string="Warn: Churn Risk", default=True)
    custmgmt_warn_slow_payment = fields.Boolean(string="Warn: Slower Payment", default=True)
    custmgmt_warn_satisfaction = fields.Boolean(string="Warn: Satisfaction Drop", default=True)
    custmgmt_warn_complaints = fields.Boolean(string="Warn: Complaint Surge", default=True)
    custmgmt_warn_tier_down = fields.Boolean(string="Warn: Tier Down", default=True)
    custmgmt_warn_service_gap = fields.Boolean(string="Warn: Service Gap", default=True)
    custmgmt_warn_stale_archive = fields.Boolean(string="Warn: Stale Archive", default=True)
    custmgmt_warn_decision_chain = fields.Boolean(string="Warn: Decision-Chain Change", default=True)
    custmgmt_warn_credit = fields.Boolean(string="Warn: Credit Limit Near", default=True)
    custmgmt_warn_decline_months = fields.Integer(
        string="Decline Window (months)", default=DEFAULTS['decline_months'],
        help="Complete months of sales compared with the months before and the same months a year before.")
    custmgmt_warn_decline_pct = fields.Float(string="Decline (%)", default=DEFAULTS['decline_pct'])
    custmgmt_warn_churn_factor = fields.Float(
        string="Churn Factor", default=DEFAULTS['churn_factor'],
        help="Warn when no invoice was posted for longer than this many times the customer's usual interval.")
    custmgmt_warn_churn_min_days = fields.Integer(string="Churn Minimum (days)", default=DEFAULTS['churn_min_days'])
    custmgmt_warn_delay_days = fields.Float(
        string="Slower Payment (days)", default=DEFAULTS['delay_days'],
        help="Warn when the payment delay of the last 3 months exceeds the 12-month average by this many days.")
    custmgmt_warn_overdue_days = fields.Integer(
        string="First Long Overdue (days)", default=DEFAULTS['overdue_days'],
        help="Warn when a customer that used to pay on time has an item overdue longer than this.")
    custmgmt_warn_satisfaction_low = fields.Float(string="Low Satisfaction Score", default=DEFAULTS['satisfaction_low'])
    custmgmt_warn_satisfaction_drop = fields.Float(string="Satisfaction Drop (points)",
                                                   default=DEFAULTS['satisfaction_drop'])
    custmgmt_warn_complaint_count = fields.Integer(string="Complaint Surge (count)",
                                                   default=DEFAULTS['complaint_count'])
    custmgmt_warn_complaint_days = fields.Integer(string="Complaint Surge Window (days)",
                                                  default=DEFAULTS['complaint_days'])
    custmgmt_warn_stale_months = fields.Integer(
        string="Archive Review (months)", default=DEFAULTS['stale_months'],
        help="Warn when the archive of an A or B customer was not reviewed for this many months.")
    custmgmt_warn_credit_pct = fields.Float(
        string="Credit Used (%)", default=DEFAULTS['credit_pct'],
        help="Warn when the credit exposure reaches this share of the credit limit.")
    custmgmt_warn_last_run_date = fields.Date(string="Warnings Last Scanned", readonly=True)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*WARNING_POLICY_FIELDS.values())
    def _check_custmgmt_warning_policy(self):
        for company in self:
            policy = company._custmgmt_warning_policy()
            if not 1 <= policy['decline_months'] <= 12:
                raise ValidationError(_("The decline window is 1 to 12 months."))
            if not 0 < policy['decline_pct'] <= 100 or not 0 < policy['credit_pct'] <= 1000:
                raise ValidationError(_("Warning percentages must be above 0 (a decline at most 100 %)."))
            if min(policy['churn_factor'], policy['churn_min_days'], policy['delay_days'], policy['overdue_days'],
                   policy['complaint_count'], policy['complaint_days'], policy['stale_months'],
                   policy['satisfaction_drop']) <= 0 or not 1 <= policy['satisfaction_low'] <= 5:
                raise ValidationError(_(
                    "Warning thresholds must be above 0, and the low satisfaction score from 1 to 5."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_warning_policy(self):
        """The thresholds of ``rules.warnings`` of this company, and the kinds switched on (``enabled``)."""
        self.ensure_one()
        policy = {key: self[fname] for key, fname in WARNING_POLICY_FIELDS.items()}
        policy['enabled'] = tuple(kind for kind, fname in WARNING_SWITCH_FIELDS.items() if self[fname])
        return policy
