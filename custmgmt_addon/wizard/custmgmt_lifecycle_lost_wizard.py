from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CustmgmtLifecycleLostWizard(models.TransientModel):
    _name = 'custmgmt.lifecycle.lost.wizard'
    _description = "Mark a Customer Lost"

    partner_id = fields.Many2one('res.partner', required=True, string="Customer")
    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company)
    reason = fields.Char(required=True, help="Why the customer is lost; shown on the customer and in the history.")

    @api.model
    def default_get(self, fields_list):
        """Open on the customer's current reason in the company, if marked already."""
        values = super().default_get(fields_list)
        partner = self.env['res.partner'].browse(values.get('partner_id'))
        company = self.env['res.company'].browse(values.get('company_id')) or self.env.company
        if partner and 'reason' in fields_list and not values.get('reason'):
            values['reason'] = partner.with_company(company).custmgmt_lifecycle_lock_reason or False
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(_("Only customer management Managers can set a lifecycle stage or mark a "
                                "customer lost."))
        if not self.reason.strip():
            raise UserError(_("Give a reason to mark the customer lost."))
        self.partner_id.with_company(self.company_id).write({
            'custmgmt_lifecycle_locked': True,
            'custmgmt_lifecycle_lock_reason': self.reason.strip(),
        })
        return {'type': 'ir.actions.act_window_close'}
