from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..rules.tiers import TIER_SELECTION


class CustmgmtTierSetWizard(models.TransientModel):
    _name = 'custmgmt.tier.set.wizard'
    _description = "Set and Lock a Customer Tier"

    partner_id = fields.Many2one('res.partner', required=True, string="Customer")
    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company)
    tier = fields.Selection(TIER_SELECTION, required=True)
    reason = fields.Char(required=True, help="Why this tier is set by hand; shown on the customer and in the history.")

    @api.model
    def default_get(self, fields_list):
        """Open on the customer's current tier (and lock reason) in the company."""
        values = super().default_get(fields_list)
        partner = self.env['res.partner'].browse(values.get('partner_id'))
        company = self.env['res.company'].browse(values.get('company_id')) or self.env.company
        if partner:
            partner = partner.with_company(company)
            if 'tier' in fields_list and not values.get('tier'):
                values['tier'] = partner.custmgmt_tier or False
            if 'reason' in fields_list and not values.get('reason'):
                values['reason'] = partner.custmgmt_tier_lock_reason or False
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(_("Only customer management Managers can set or lock a customer tier."))
        if not self.reason.strip():
            raise UserError(_("Give a reason to lock the tier."))
        self.partner_id.with_company(self.company_id).write({
            'custmgmt_tier': self.tier,
            'custmgmt_tier_locked': True,
            'custmgmt_tier_lock_reason': self.reason.strip(),
        })
        return {'type': 'ir.actions.act_window_close'}
