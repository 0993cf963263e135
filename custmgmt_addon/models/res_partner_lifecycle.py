from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..rules import lifecycle as lifecycle_rules
from ..rules.tiers import TIER_SELECTION
from .res_partner import ARCHIVE_GROUP

LIFECYCLE_SELECTION = [
    ('prospect', 'Prospect'),
    ('new', 'New Customer'),
    ('regular', 'Regular Customer'),
    ('dormant', 'Dormant Customer'),
    ('lost', 'Lost Customer'),
]
# fields only the lifecycle engine (SQL) or a Manager may change
LIFECYCLE_MANAGED_FIELDS = {
    'custmgmt_lifecycle_stage', 'custmgmt_trading_now', 'custmgmt_first_invoice_date',
    'custmgmt_last_invoice_date', 'custmgmt_peak_tier', 'custmgmt_lifecycle_locked',
    'custmgmt_lifecycle_lock_reason',
}


class ResPartner(models.Model):
    _inherit = 'res.partner'

    # ------------------------------------------------------------
    # FIELDS: lifecycle (老客户 / 新客户 / 未来客户), per company
    # ------------------------------------------------------------

    custmgmt_lifecycle_stage = fields.Selection(
        LIFECYCLE_SELECTION, string="Lifecycle Stage", company_dependent=True, copy=False, groups=ARCHIVE_GROUP,
        group_expand=True,  # grouped in the order of a customer's life, every stage shown
        help="Where the customer is in its life with the current company, recomputed each day from its posted "
             "invoices and its sale orders: prospect (quotations, never invoiced), new, regular, dormant or "
             "lost (or marked lost by a Manager).")
    custmgmt_trading_now = fields.Boolean(
        string="Trading Now", company_dependent=True, copy=False, groups=ARCHIVE_GROUP,
        help="The customer has confirmed orders in the current company that are not fully invoiced yet.")
    custmgmt_first_invoice_date = fields.Date(
        string="First Invoiced", company_dependent=True, copy=False, groups=ARCHIVE_GROUP,
        help="Date of the customer's first posted invoice in the current company (refunds do not count).")
    custmgmt_last_invoice_date = fields.Date(
        string="Last Invoiced", company_dependent=True, copy=False, groups=ARCHIVE_GROUP,
        help="Date of the customer's last posted invoice in the current company (refunds do not count).")
    custmgmt_peak_tier = fields.Selection(
        TIER_SELECTION, string="Best Recent Tier", company_dependent=True, copy=False, groups=ARCHIVE_GROUP,
        help="The best tier the customer held over the lost threshold (12 months by default), from its tier "
             "and the tier history: what a dormant customer was worth. The win-back list keys on it.")
    custmgmt_lifecycle_locked = fields.Boolean(
        string="Marked Lost", company_dependent=True, copy=False, groups=ARCHIVE_GROUP,
        help="Marked lost by a Manager: the daily run keeps the customer lost until a Manager lifts the mark.")
    custmgmt_lifecycle_lock_reason = fields.Char(
        string="Why Lost", company_dependent=True, copy=False, groups=ARCHIVE_GROUP)
    custmgmt_lifecycle_history_count = fields.Integer(
        string="Stage Changes", compute='_compute_custmgmt_lifecycle_history_count', groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context('company')
    def _compute_custmgmt_lifecycle_history_count(self):
        counts = dict(self.env['custmgmt.lifecycle.history']._read_group(
            [('partner_id', 'in', self.ids), ('company_id', '=', self.env.company.id)],
            ['partner_id'], ['__count']))
        for partner in self:
            partner.custmgmt_lifecycle_history_count = counts.get(partner, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_lifecycle_locked', 'custmgmt_lifecycle_lock_reason')
    def _check_custmgmt_lifecycle_lock_reason(self):
        for partner in self:
            if partner.custmgmt_lifecycle_locked and not (partner.custmgmt_lifecycle_lock_reason or '').strip():
                raise ValidationError(_(
                    "Give a reason to mark %(customer)s as lost.", customer=partner.display_name))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self._custmgmt_is_manager():
            for vals in vals_list:
                if vals.get('custmgmt_lifecycle_locked'):
                    vals['custmgmt_lifecycle_stage'] = 'lost'
        else:
            defaults = {fname for fname in LIFECYCLE_MANAGED_FIELDS if self.env.context.get(f'default_{fname}')}
            if defaults or any(LIFECYCLE_MANAGED_FIELDS & {k for k, v in vals.items() if v} for vals in vals_list):
                raise AccessError(_("Only customer management Managers can set a lifecycle stage or mark a "
                                    "customer lost."))
        partners = super().create(vals_list)
        staged = self.browse([partner.id for partner, vals in zip(partners, vals_list)
                              if vals.get('custmgmt_lifecycle_stage')])
        if staged:
            staged._custmgmt_log_manual_stage_change(dict.fromkeys(staged, False))
        return partners

    def write(self, vals):
        if LIFECYCLE_MANAGED_FIELDS & vals.keys():
            if not self._custmgmt_is_manager():
                raise AccessError(_("Only customer management Managers can set a lifecycle stage or mark a "
                                    "customer lost."))
            if vals.get('custmgmt_lifecycle_locked'):
                vals = dict(vals, custmgmt_lifecycle_stage='lost')
        old_stages = {}
        if 'custmgmt_lifecycle_stage' in vals:
            old_stages = {partner: partner.sudo().custmgmt_lifecycle_stage for partner in self}
        res = super().write(vals)
        if old_stages:
            self._custmgmt_log_manual_stage_change(old_stages)
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_custmgmt_open_lifecycle_history(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_lifecycle_history_action')
        action['domain'] = [('partner_id', '=', self.id)]
        return action

    def action_custmgmt_lifecycle_unlock(self):
        """Lift the "lost" mark: the next run (daily, or Run Now) stages the customer again."""
        self.write({'custmgmt_lifecycle_locked': False, 'custmgmt_lifecycle_lock_reason': False})

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_log_manual_stage_change(self, old_stages):
        """History rows for stages changed through the ORM (by a Manager)."""
        self.env['custmgmt.lifecycle.history'].sudo()._record_changes(self.env.company, [
            lifecycle_rules.StageChange(partner.id, old_stage or None, partner.sudo().custmgmt_lifecycle_stage or None,
                                        partner.sudo().custmgmt_last_invoice_date or None,
                                        partner.sudo().custmgmt_lifecycle_lock_reason or None)
            for partner, old_stage in old_stages.items()
        ], fields.Date.context_today(self), 'manual')
