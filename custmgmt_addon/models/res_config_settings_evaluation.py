from odoo import api, fields, models

from .res_company_evaluation import EVALUATION_PERIODS, EVALUATION_POLICY_FIELDS


class ResConfigSettings(models.TransientModel):
    """The evaluation policy in Settings. Plain fields written on the company
    at once when saved: the weights are checked together (they must add up
    to 100), which related fields written one by one could not pass."""
    _inherit = 'res.config.settings'

    custmgmt_eval_period = fields.Selection(EVALUATION_PERIODS, string="Evaluation Period")
    custmgmt_eval_tier_a = fields.Boolean(string="Evaluate A Customers")
    custmgmt_eval_tier_b = fields.Boolean(string="Evaluate B Customers")
    custmgmt_eval_tier_c = fields.Boolean(string="Evaluate C Customers")
    custmgmt_eval_weight_sales = fields.Float(string="Sales Contribution")
    custmgmt_eval_weight_profit = fields.Float(string="Profit Contribution")
    custmgmt_eval_weight_capability = fields.Float(string="Capability")
    custmgmt_eval_weight_cooperation = fields.Float(string="Cooperation")
    custmgmt_eval_weight_adaptability = fields.Float(string="Adaptability")
    custmgmt_eval_weight_growth = fields.Float(string="Growth Contribution")
    custmgmt_eval_weight_satisfaction = fields.Float(string="End-Customer Satisfaction")
    custmgmt_eval_excellent_min = fields.Float(string="Excellent From")
    custmgmt_eval_good_min = fields.Float(string="Good From")
    custmgmt_eval_fair_min = fields.Float(string="Fair From")
    custmgmt_eval_visit_cost = fields.Float(string="Cost of a Visit")
    custmgmt_eval_complaint_cost = fields.Float(string="Cost of Handling a Complaint")
    custmgmt_eval_activity_days = fields.Integer(string="Days to Fill In an Evaluation")

    @api.model
    def get_values(self):
        res = super().get_values()
        company = self.env.company
        res.update({fname: company[fname] for fname in EVALUATION_POLICY_FIELDS})
        return res

    def set_values(self):
        res = super().set_values()
        vals = {fname: self[fname] for fname in EVALUATION_POLICY_FIELDS}
        company = self.company_id
        if any(company[fname] != value for fname, value in vals.items()):
            company._custmgmt_check_tier_manager()
            company.write(vals)
        return res

    def action_custmgmt_run_evaluation(self):
        """Run the evaluation job of this company now (what the scheduled action does)."""
        self.ensure_one()
        self.env['res.company']._custmgmt_check_tier_manager()
        count = self.env['custmgmt.evaluation.engine']._run_now(self.company_id)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'type': 'success', 'sticky': False,
                       'message': self.env._("%(count)s evaluations created or refreshed.", count=count)},
        }
