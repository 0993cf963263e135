from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_amount

from ..rules import tiers as tier_rules
from ..rules.tiers import TIER_SELECTION
from .res_partner import ARCHIVE_GROUP

# fields only the tier engine (SQL) or a Manager may change
TIER_MANAGED_FIELDS = {'custmgmt_tier', 'custmgmt_tier_locked', 'custmgmt_tier_lock_reason', 'custmgmt_tier_monthly_average'}


class ResPartner(models.Model):
    """The customer's A/B/C tier (客户分级) in each company: stored by the
    tier engine (``custmgmt.tier.engine``), explained, locked by Managers."""
    _inherit = 'res.partner'

    # ------------------------------------------------------------
    # FIELDS: tier (客户分级), per company
    # ------------------------------------------------------------

    custmgmt_tier = fields.Selection(
        TIER_SELECTION, string="Customer Tier", company_dependent=True, groups=ARCHIVE_GROUP,
        help="Strategic (A), key (B) or general (C) customer of the current company, "
             "recomputed from posted invoices by the tier engine.")
    custmgmt_tier_monthly_average = fields.Float(
        string="Monthly Average Sales", company_dependent=True, groups=ARCHIVE_GROUP,
        digits=(16, 2), help="Average monthly untaxed sales over the tier window, in company currency.")
    # per company too, kept in custmgmt.tier.position (see there why)
    custmgmt_tier_rank = fields.Integer(string="Tier Rank", compute='_compute_tier_position', groups=ARCHIVE_GROUP)
    custmgmt_tier_share_before = fields.Float(
        string="Share Ranked Above (%)", compute='_compute_tier_position', groups=ARCHIVE_GROUP, digits=(16, 2),
        help="Share of the company's sales made by the customers ranked above this one.")
    custmgmt_tier_computed_on = fields.Date(string="Tier Computed On", compute='_compute_tier_position', groups=ARCHIVE_GROUP)
    custmgmt_tier_locked = fields.Boolean(string="Tier Locked",
        company_dependent=True, groups=ARCHIVE_GROUP,
        help="A locked tier is kept by the recompute, which still refreshes its figures.")
    custmgmt_tier_lock_reason = fields.Char(string="Lock Reason", company_dependent=True, groups=ARCHIVE_GROUP)
    custmgmt_tier_explanation = fields.Char(
        string="Why This Tier", compute='_compute_tier_explanation', groups=ARCHIVE_GROUP)
    custmgmt_tier_history_count = fields.Integer(string="Tier History Count",
        compute='_compute_tier_history_count', groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context('company')
    def _compute_tier_history_count(self):
        counts = dict(self.env['custmgmt.tier.history']._read_group(
            [('partner_id', 'in', self.ids), ('company_id', '=', self.env.company.id)],
            ['partner_id'], ['__count']))
        for partner in self:
            partner.custmgmt_tier_history_count = counts.get(partner, 0)

    @api.depends_context('company')
    def _compute_tier_position(self):
        positions = {
            position.partner_id.id: position
            for position in self.env['custmgmt.tier.position'].sudo().search([
                ('partner_id', 'in', self.ids), ('company_id', '=', self.env.company.id)])
        }
        for partner in self:
            position = positions.get(partner.id)
            partner.custmgmt_tier_rank = position.rank if position else 0
            partner.custmgmt_tier_share_before = position.share_before if position else 0.0
            partner.custmgmt_tier_computed_on = position.computed_on if position else False

    @api.depends_context('company', 'lang')
    @api.depends('custmgmt_tier', 'custmgmt_tier_monthly_average', 'custmgmt_tier_locked', 'custmgmt_tier_lock_reason')
    def _compute_tier_explanation(self):
        company = self.env.company
        labels = dict(self._fields['custmgmt_tier']._description_selection(self.env))
        window = company._custmgmt_tier_last_window_label()
        for partner in self:
            if not partner.custmgmt_tier:
                partner.custmgmt_tier_explanation = _("Not tiered: no posted customer invoice in %(company)s yet.",
                                             company=company.name)
                continue
            tier = labels[partner.custmgmt_tier]
            if not window:
                text = _("Set by hand → %(tier)s", tier=tier)
            else:
                text = _(
                    "Monthly average %(average)s over %(window)s, rank %(rank)s of %(count)s, "
                    "%(share).1f %% of sales ranked above → %(tier)s",
                    average=format_amount(self.env, partner.custmgmt_tier_monthly_average, company.currency_id),
                    window=window, rank=partner.custmgmt_tier_rank, count=company.custmgmt_tier_last_count,
                    share=partner.custmgmt_tier_share_before, tier=tier,
                )
            if partner.custmgmt_tier_locked:
                text = _("%(text)s (locked: %(reason)s)", text=text, reason=partner.custmgmt_tier_lock_reason or '')
            partner.custmgmt_tier_explanation = text

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_tier_locked', 'custmgmt_tier_lock_reason')
    def _check_tier_lock_reason(self):
        for partner in self:
            if partner.custmgmt_tier_locked and not (partner.custmgmt_tier_lock_reason or '').strip():
                raise ValidationError(_(
                    "Give a reason to lock the tier of %(customer)s.", customer=partner.display_name))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self._custmgmt_is_manager():
            defaults = {fname for fname in TIER_MANAGED_FIELDS if self.env.context.get(f'default_{fname}')}
            if defaults or any(TIER_MANAGED_FIELDS & {k for k, v in vals.items() if v} for vals in vals_list):
                raise AccessError(_("Only customer management Managers can set or lock a customer tier."))
        return super().create(vals_list)

    def write(self, vals):
        if TIER_MANAGED_FIELDS & vals.keys() and not self._custmgmt_is_manager():
            raise AccessError(_("Only customer management Managers can set or lock a customer tier."))
        old_tiers = {}
        if 'custmgmt_tier' in vals:
            old_tiers = {partner: partner.custmgmt_tier for partner in self}
        res = super().write(vals)
        if old_tiers:
            self._custmgmt_log_manual_tier_change(old_tiers)
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_custmgmt_open_tier_history(self):
        return self._custmgmt_open_related(
            'custmgmt_addon.custmgmt_tier_history_action', [('partner_id', '=', self.id)], default_partner=self)

    def action_custmgmt_unlock_tier(self):
        self.write({'custmgmt_tier_locked': False, 'custmgmt_tier_lock_reason': False})

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------


    def _custmgmt_log_manual_tier_change(self, old_tiers):
        """History row and chatter note for tiers changed through the ORM (by hand)."""
        self.env['custmgmt.tier.history'].sudo()._record_changes(self.env.company, [
            tier_rules.TierChange(partner.id, old_tier, partner.custmgmt_tier, partner.custmgmt_tier_monthly_average,
                       partner.custmgmt_tier_lock_reason)
            for partner, old_tier in old_tiers.items()
        ], fields.Date.context_today(self), 'manual')

    def _custmgmt_tier_note(self, manual=False):
        """The chatter note of a tier change. The partner's chatter is read by
        every internal user: the note says that the tier changed and where to
        look (the tier history, restricted to the archive group), never the
        tiers or figures themselves."""
        template = _("Customer tier changed by hand in %(company)s: see the tier history.") if manual \
            else _("Customer tier changed in %(company)s: see the tier history.")
        return template % {'company': self.env.company.name}
