from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import evaluation as eval_rules

EVALUATION_PERIODS = [('quarter', 'Quarter'), ('half', 'Half-year'), ('year', 'Year')]
# dimension -> weight field of the company (and of res.config.settings)
EVALUATION_WEIGHT_FIELDS = {dimension: f'custmgmt_eval_weight_{dimension}' for dimension in eval_rules.DIMENSIONS}
EVALUATION_POLICY_FIELDS = (
    'custmgmt_eval_period', 'custmgmt_eval_tier_a', 'custmgmt_eval_tier_b', 'custmgmt_eval_tier_c',
    *EVALUATION_WEIGHT_FIELDS.values(),
    'custmgmt_eval_excellent_min', 'custmgmt_eval_good_min', 'custmgmt_eval_fair_min',
    'custmgmt_eval_visit_cost', 'custmgmt_eval_complaint_cost', 'custmgmt_eval_activity_days',
)
DEFAULT_WEIGHT = 100.0 / len(eval_rules.DIMENSIONS)
# a change of these recomputes the totals and grades of the evaluations not approved yet
TOTAL_POLICY_FIELDS = frozenset((*EVALUATION_WEIGHT_FIELDS.values(), 'custmgmt_eval_excellent_min',
                                 'custmgmt_eval_good_min', 'custmgmt_eval_fair_min'))


class ResCompany(models.Model):
    """The customer evaluation policy (客户评估) of each company."""
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_eval_period = fields.Selection(
        EVALUATION_PERIODS, string="Evaluation Period", default='quarter', required=True,
        help="Each run evaluates the last complete period of this length.")
    custmgmt_eval_tier_a = fields.Boolean(string="Evaluate A Customers", default=True)
    custmgmt_eval_tier_b = fields.Boolean(string="Evaluate B Customers", default=True)
    custmgmt_eval_tier_c = fields.Boolean(string="Evaluate C Customers", default=False)
    custmgmt_eval_weight_sales = fields.Float(string="Weight: Sales Contribution", default=DEFAULT_WEIGHT)
    custmgmt_eval_weight_profit = fields.Float(string="Weight: Profit Contribution", default=DEFAULT_WEIGHT)
    custmgmt_eval_weight_capability = fields.Float(string="Weight: Capability", default=DEFAULT_WEIGHT)
    custmgmt_eval_weight_cooperation = fields.Float(string="Weight: Cooperation", default=DEFAULT_WEIGHT)
    custmgmt_eval_weight_adaptability = fields.Float(string="Weight: Adaptability", default=DEFAULT_WEIGHT)
    custmgmt_eval_weight_growth = fields.Float(string="Weight: Growth Contribution", default=DEFAULT_WEIGHT)
    custmgmt_eval_weight_satisfaction = fields.Float(string="Weight: End-Customer Satisfaction",
                                                     default=DEFAULT_WEIGHT)
    custmgmt_eval_excellent_min = fields.Float(string="Excellent From", default=85.0)
    custmgmt_eval_good_min = fields.Float(string="Good From", default=70.0)
    custmgmt_eval_fair_min = fields.Float(string="Fair From", default=50.0)
    custmgmt_eval_visit_cost = fields.Float(
        string="Cost of a Visit", default=0.0,
        help="Cost to serve of one visit done, in company currency, deducted from the customer's margin.")
    custmgmt_eval_complaint_cost = fields.Float(
        string="Cost of Handling a Complaint", default=0.0,
        help="Cost to serve of one complaint, in company currency, deducted from the customer's margin.")
    custmgmt_eval_activity_days = fields.Integer(
        string="Days to Fill In an Evaluation", default=14,
        help="The salesperson's activity to fill in a new evaluation is due this many days after the run.")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*EVALUATION_POLICY_FIELDS)
    def _check_custmgmt_eval_policy(self):
        for company in self:
            company._custmgmt_eval_raise_problems(company._custmgmt_eval_policy())

    @api.model
    def _custmgmt_eval_raise_problems(self, policy):
        total = eval_rules.weights_problem(policy['weights'])
        if total is not None:
            raise ValidationError(_(
                "The seven evaluation weights must each be from 0 to 100 and add up to 100; "
                "they add up to %(total)s.", total=total))
        if not eval_rules.thresholds_valid(*policy['thresholds']):
            raise ValidationError(_(
                "Grade thresholds must satisfy 100 ≥ Excellent > Good > Fair ≥ 0."))
        if policy['visit_cost'] < 0 or policy['complaint_cost'] < 0:
            raise ValidationError(_("The costs to serve cannot be negative."))
        if not 0 <= policy['activity_days'] <= 365:
            raise ValidationError(_("The days to fill in an evaluation are from 0 to 365."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if TOTAL_POLICY_FIELDS & set(vals):
            self._custmgmt_eval_recompute_open()
        return res

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_eval_recompute_open(self):
        """New weights or thresholds apply to the evaluations not approved yet
        (approved ones keep the total and grade they were approved with)."""
        evaluations = self.env['custmgmt.evaluation'].sudo().search(
            [('company_id', 'in', self.ids), ('state', '!=', 'approved')])
        if evaluations:
            Evaluation = self.env['custmgmt.evaluation']
            for fname in ('total', 'grade', 'total_change', 'grade_fell'):
                self.env.add_to_compute(Evaluation._fields[fname], evaluations)

    def _custmgmt_eval_policy(self):
        """This company's evaluation policy, as the engine and the rules take it."""
        self.ensure_one()
        return {
            'period': self.custmgmt_eval_period or 'quarter',
            'tiers': tuple(tier for tier in eval_rules.TIERS if self[f'custmgmt_eval_tier_{tier}']),
            'weights': {dimension: self[fname] for dimension, fname in EVALUATION_WEIGHT_FIELDS.items()},
            'thresholds': (self.custmgmt_eval_excellent_min, self.custmgmt_eval_good_min,
                           self.custmgmt_eval_fair_min),
            'visit_cost': self.custmgmt_eval_visit_cost,
            'complaint_cost': self.custmgmt_eval_complaint_cost,
            'activity_days': self.custmgmt_eval_activity_days,
        }
