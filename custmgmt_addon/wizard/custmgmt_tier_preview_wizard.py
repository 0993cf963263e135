from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..models.res_company_tier import TIER_POLICY_FIELDS


class CustmgmtTierPreviewWizard(models.TransientModel):
    _name = 'custmgmt.tier.preview.wizard'
    _description = "Tier Policy Preview"

    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related='company_id.currency_id')
    months = fields.Integer(string="Tier Window (months)", required=True, default=3)
    method = fields.Selection(
        [('pareto', 'Pareto share'), ('amount', 'Grade standard amount')],
        string="Tier Method", required=True, default='pareto')
    a_share = fields.Float(string="A Share (%)", default=80.0)
    b_share = fields.Float(string="B Share (%)", default=95.0)
    a_amount = fields.Float(string="A Grade Amount", default=100000.0)
    b_amount = fields.Float(string="B Grade Amount", default=10000.0)
    a_count = fields.Integer(string="A Customers", compute='_compute_summary')
    b_count = fields.Integer(string="B Customers", compute='_compute_summary')
    c_count = fields.Integer(string="C Customers", compute='_compute_summary')
    a_sales_share = fields.Float(string="A Share of Sales (%)", compute='_compute_summary', digits=(16, 1))
    b_sales_share = fields.Float(string="B Share of Sales (%)", compute='_compute_summary', digits=(16, 1))
    c_sales_share = fields.Float(string="C Share of Sales (%)", compute='_compute_summary', digits=(16, 1))
    problem = fields.Char(compute='_compute_summary')

    @api.model
    def default_get(self, fields_list):
        self.env['res.company']._custmgmt_check_tier_manager()
        return super().default_get(fields_list)

    @api.depends('company_id', 'months', 'method', 'a_share', 'b_share', 'a_amount', 'b_amount')
    def _compute_summary(self):
        # the counts per threshold tell a customer's monthly average to whoever
        # bisects the thresholds: Managers only, on every path (onchange included)
        self.env['res.company']._custmgmt_check_tier_manager()
        for wizard in self:
            wizard.problem = False
            summary = dict.fromkeys('abc', (0, 0.0))
            try:
                summary = self.env['custmgmt.tier.engine']._preview(wizard.company_id, wizard._policy())
            except ValidationError as error:
                wizard.problem = error.args[0]
            for tier in 'abc':
                wizard[f'{tier}_count'], wizard[f'{tier}_sales_share'] = summary[tier]

    def _policy(self):
        return {key: self[key] for key in TIER_POLICY_FIELDS}

    @api.model
    def _custmgmt_open(self, company, policy=None):
        policy = policy or company._custmgmt_tier_policy()
        context = {f'default_{key}': value for key, value in policy.items()}
        context['default_company_id'] = company.id
        return {
            'type': 'ir.actions.act_window',
            'name': _("Tier Policy Preview"),
            'res_model': self._name,
            'view_mode': 'form',
            'target': 'new',
            'context': context,
        }

    @api.model
    def action_open_current(self):
        """Menu entry: the policy of the current company."""
        self.env['res.company']._custmgmt_check_tier_manager()
        return self._custmgmt_open(self.env.company)

    def action_apply(self):
        """Save the previewed policy on the company."""
        self.ensure_one()
        self.env['res.company']._custmgmt_check_tier_manager()
        self.company_id.sudo().write({fname: self[key] for key, fname in TIER_POLICY_FIELDS.items()})
        return {'type': 'ir.actions.act_window_close'}

    def action_apply_and_recompute(self):
        self.action_apply()
        return self._custmgmt_recompute_now(self.company_id)

    @api.model
    def _custmgmt_recompute_now(self, companies):
        """'Run now': finish the whole job in this request, then say what it did."""
        self.env['res.company']._custmgmt_check_tier_manager()
        done, _remaining = self.env['custmgmt.tier.engine']._recompute(companies)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'success',
                'title': _("Customer tiers recomputed"),
                'message': _("%(count)s customers updated in %(companies)s.",
                             count=done, companies=", ".join(companies.mapped('name'))),
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }
