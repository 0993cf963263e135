from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..rules import credit as credit_rules

# wizard field -> company field
CREDIT_POLICY_FIELDS = {
    'long_overdue_days': 'custmgmt_long_overdue_days',
    'large_overdue_amount': 'custmgmt_large_overdue_amount',
    'hold_overdue_days': 'custmgmt_hold_overdue_days',
    'dunning_interval_days': 'custmgmt_dunning_interval_days',
    'collection_user_id': 'custmgmt_collection_user_id',
    'finance_manager_id': 'custmgmt_finance_manager_id',
    'credit_hold_enabled': 'custmgmt_credit_hold_enabled',
    'invoice_gate': 'custmgmt_invoice_gate',
}


class CustmgmtCreditPolicyWizard(models.TransientModel):
    """The credit and collection policy of the current company, for Finance
    users who are not Settings administrators."""
    _name = 'custmgmt.credit.policy.wizard'
    _description = "Credit and Collection Policy"

    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related='company_id.currency_id')
    long_overdue_days = fields.Integer(string="Long Overdue (days)")
    large_overdue_amount = fields.Monetary()
    hold_overdue_days = fields.Integer(string="Hold Orders Overdue (days)")
    dunning_interval_days = fields.Integer(string="Dunning Interval (days)")
    collection_user_id = fields.Many2one('res.users')
    finance_manager_id = fields.Many2one('res.users')
    credit_hold_enabled = fields.Boolean(string="Credit Hold")
    invoice_gate = fields.Boolean(string="Invoice Credit Gate")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env['res.company'].browse(values.get('company_id')) or self.env.company
        for key, fname in CREDIT_POLICY_FIELDS.items():
            value = company[fname]
            values[key] = value.id if isinstance(value, models.BaseModel) else value
        return values

    @api.constrains('long_overdue_days', 'hold_overdue_days', 'dunning_interval_days', 'large_overdue_amount')
    def _check_positive(self):
        for wizard in self:
            if not credit_rules.policy_is_valid(wizard.long_overdue_days, wizard.hold_overdue_days,
                                                wizard.dunning_interval_days, wizard.large_overdue_amount):
                raise ValidationError(_("Day thresholds must be at least 1 and the large amount not negative."))

    def _check_finance(self):
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_finance'):
            raise AccessError(_("Only Finance can change the credit and collection policy."))

    def action_apply(self):
        self.ensure_one()
        self._check_finance()
        self.company_id.sudo().write({
            fname: (self[key].id if isinstance(self[key], models.BaseModel) else self[key])
            for key, fname in CREDIT_POLICY_FIELDS.items()
        })
        return {'type': 'ir.actions.act_window_close'}

    def action_run_collection(self):
        """Run the collection matrix of this company now, the whole of it, with
        the policy as saved (what the daily scheduled action does)."""
        self.ensure_one()
        self._check_finance()
        done, _remaining = self.env['custmgmt.collection']._run(self.company_id)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'success',
                'message': _("Collection matrix applied: %(count)s activities, letters or closings.", count=done),
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }
