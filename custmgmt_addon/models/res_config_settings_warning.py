from odoo import _, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    """The early-warning policy of the current company in Settings."""
    _inherit = 'res.config.settings'

    custmgmt_warn_key_decline = fields.Boolean(related='company_id.custmgmt_warn_key_decline', readonly=False)
    custmgmt_warn_churn = fields.Boolean(related='company_id.custmgmt_warn_churn', readonly=False)
    custmgmt_warn_slow_payment = fields.Boolean(related='company_id.custmgmt_warn_slow_payment', readonly=False)
    custmgmt_warn_satisfaction = fields.Boolean(related='company_id.custmgmt_warn_satisfaction', readonly=False)
    custmgmt_warn_complaints = fields.Boolean(related='company_id.custmgmt_warn_complaints', readonly=False)
    custmgmt_warn_tier_down = fields.Boolean(related='company_id.custmgmt_warn_tier_down', readonly=False)
    custmgmt_warn_service_gap = fields.Boolean(related='company_id.custmgmt_warn_service_gap', readonly=False)
    custmgmt_warn_stale_archive = fields.Boolean(related='company_id.custmgmt_warn_stale_archive', readonly=False)
    custmgmt_warn_decision_chain = fields.Boolean(related='company_id.custmgmt_warn_decision_chain', readonly=False)
    custmgmt_warn_credit = fields.Boolean(related='company_id.custmgmt_warn_credit', readonly=False)
    custmgmt_warn_decline_months = fields.Integer(related='company_id.custmgmt_warn_decline_months', readonly=False)
    custmgmt_warn_decline_pct = fields.Float(related='company_id.custmgmt_warn_decline_pct', readonly=False)
    custmgmt_warn_churn_factor = fields.Float(related='company_id.custmgmt_warn_churn_factor', readonly=False)
    custmgmt_warn_churn_min_days = fields.Integer(related='company_id.custmgmt_warn_churn_min_days', readonly=False)
    custmgmt_warn_delay_days = fields.Float(related='company_id.custmgmt_warn_delay_days', readonly=False)
    custmgmt_warn_overdue_days = fields.Integer(related='company_id.custmgmt_warn_overdue_days', readonly=False)
    custmgmt_warn_satisfaction_low = fields.Float(related='company_id.custmgmt_warn_satisfaction_low', readonly=False)
    custmgmt_warn_satisfaction_drop = fields.Float(related='company_id.custmgmt_warn_satisfaction_drop', readonly=False)
    custmgmt_warn_complaint_count = fields.Integer(related='company_id.custmgmt_warn_complaint_count', readonly=False)
    custmgmt_warn_complaint_days = fields.Integer(related='company_id.custmgmt_warn_complaint_days', readonly=False)
    custmgmt_warn_stale_months = fields.Integer(related='company_id.custmgmt_warn_stale_months', readonly=False)
    custmgmt_warn_credit_pct = fields.Float(related='company_id.custmgmt_warn_credit_pct', readonly=False)
    custmgmt_warn_last_run_date = fields.Date(related='company_id.custmgmt_warn_last_run_date')

    def action_custmgmt_scan_warnings(self):
        """Scan the early warnings of every company now (as the daily action does)."""
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(_("Only customer management Managers can run the early-warning scan."))
        self.env['custmgmt.warning.engine']._scan_all()
        return True
