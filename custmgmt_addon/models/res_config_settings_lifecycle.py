from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    custmgmt_lifecycle_new_months = fields.Integer(
        related='company_id.custmgmt_lifecycle_new_months', readonly=False)
    custmgmt_lifecycle_dormant_months = fields.Integer(
        related='company_id.custmgmt_lifecycle_dormant_months', readonly=False)
    custmgmt_lifecycle_lost_months = fields.Integer(
        related='company_id.custmgmt_lifecycle_lost_months', readonly=False)
    custmgmt_lifecycle_last_run_date = fields.Date(related='company_id.custmgmt_lifecycle_last_run_date')
    custmgmt_lifecycle_last_count = fields.Integer(related='company_id.custmgmt_lifecycle_last_count')

    @api.model
    def _custmgmt_check_lifecycle_manager(self):
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(self.env._("Only customer management Managers can run the lifecycle stages now."))

    def action_custmgmt_run_lifecycle(self):
        """Stage the customers of the selected companies now (what the daily scheduled action does), to the end."""
        self.ensure_one()
        self._custmgmt_check_lifecycle_manager()
        done, _remaining = self.env['custmgmt.lifecycle.engine']._run(self.env.companies)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'type': 'success', 'sticky': False,
                       'message': self.env._("Lifecycle stages computed: %(count)s customers updated.", count=done),
                       'next': {'type': 'ir.actions.client', 'tag': 'reload'}},
        }
