from odoo import api, fields, models

from .res_company_tier import TIER_POLICY_FIELDS

POLICY_FIELDS = tuple(TIER_POLICY_FIELDS.values())


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    # Plain fields rather than related ones: a related field is written on the
    # company as soon as the settings record is created, and the preview must
    # run on the unsaved policy without writing anything.
    custmgmt_tier_months = fields.Integer(string="Tier Window (months)")
    custmgmt_tier_method = fields.Selection(
        [('pareto', 'Pareto share'), ('amount', 'Grade standard amount')], string="Tier Method")
    custmgmt_tier_a_share = fields.Float(string="A Share (%)")
    custmgmt_tier_b_share = fields.Float(string="B Share (%)")
    custmgmt_tier_a_amount = fields.Float(string="A Grade Amount")
    custmgmt_tier_b_amount = fields.Float(string="B Grade Amount")
    custmgmt_tier_last_run_date = fields.Date(related='company_id.custmgmt_tier_last_run_date')
    custmgmt_complaint_days_a = fields.Integer(related='company_id.custmgmt_complaint_days_a', readonly=False)
    custmgmt_complaint_days_b = fields.Integer(related='company_id.custmgmt_complaint_days_b', readonly=False)
    custmgmt_complaint_days_c = fields.Integer(related='company_id.custmgmt_complaint_days_c', readonly=False)
    custmgmt_long_overdue_days = fields.Integer(related='company_id.custmgmt_long_overdue_days', readonly=False)
    custmgmt_large_overdue_amount = fields.Float(related='company_id.custmgmt_large_overdue_amount', readonly=False)
    custmgmt_hold_overdue_days = fields.Integer(related='company_id.custmgmt_hold_overdue_days', readonly=False)
    custmgmt_dunning_interval_days = fields.Integer(related='company_id.custmgmt_dunning_interval_days', readonly=False)
    custmgmt_collection_user_id = fields.Many2one(related='company_id.custmgmt_collection_user_id', readonly=False)
    custmgmt_finance_manager_id = fields.Many2one(related='company_id.custmgmt_finance_manager_id', readonly=False)
    custmgmt_credit_hold_enabled = fields.Boolean(related='company_id.custmgmt_credit_hold_enabled', readonly=False)
    custmgmt_invoice_gate = fields.Boolean(related='company_id.custmgmt_invoice_gate', readonly=False)
    custmgmt_company_currency_id = fields.Many2one(related='company_id.currency_id', string="Company Currency")
    # service by tier: visits and surveys
    custmgmt_visit_days_a = fields.Integer(related='company_id.custmgmt_visit_days_a', readonly=False)
    custmgmt_visit_days_b = fields.Integer(related='company_id.custmgmt_visit_days_b', readonly=False)
    custmgmt_visit_days_c = fields.Integer(related='company_id.custmgmt_visit_days_c', readonly=False)
    custmgmt_visit_leader_a = fields.Boolean(related='company_id.custmgmt_visit_leader_a', readonly=False)
    custmgmt_visit_leader_b = fields.Boolean(related='company_id.custmgmt_visit_leader_b', readonly=False)
    custmgmt_visit_leader_c = fields.Boolean(related='company_id.custmgmt_visit_leader_c', readonly=False)
    custmgmt_top_visit_days = fields.Integer(related='company_id.custmgmt_top_visit_days', readonly=False)
    custmgmt_top_visitor_ids = fields.Many2many(related='company_id.custmgmt_top_visitor_ids', readonly=False)
    custmgmt_survey_id = fields.Many2one(related='company_id.custmgmt_survey_id', readonly=False)

    @api.model
    def get_values(self):
        res = super().get_values()
        company = self.env.company
        res.update({fname: company[fname] for fname in POLICY_FIELDS})
        return res

    def set_values(self):
        res = super().set_values()
        vals = {fname: self[fname] for fname in POLICY_FIELDS}
        company = self.company_id
        if any(company[fname] != value for fname, value in vals.items()):
            company._custmgmt_check_tier_manager()
            company.write(vals)
        return res

    def _custmgmt_policy(self):
        return {key: self[fname] for key, fname in TIER_POLICY_FIELDS.items()}

    def action_custmgmt_preview_tiers(self):
        """Open the preview of the policy as it stands on the form, unsaved."""
        self.ensure_one()
        self.env['res.company']._custmgmt_check_tier_manager()
        return self.env['custmgmt.tier.preview.wizard']._custmgmt_open(self.company_id, self._custmgmt_policy())

    def action_custmgmt_recompute_tiers(self):
        self.ensure_one()
        return self.env['custmgmt.tier.preview.wizard']._custmgmt_recompute_now(self.env.companies)

    def action_custmgmt_plan_visits(self):
        """Run the visit schedule of this company now (what the daily scheduled action does)."""
        self.ensure_one()
        count = self.env['custmgmt.visit.planner']._custmgmt_plan_visits(self.company_id)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'type': 'success', 'sticky': False,
                       'message': self.env._("%(count)s visits planned.", count=count)},
        }
