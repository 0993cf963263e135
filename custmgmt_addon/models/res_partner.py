from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount

from ..rules import archive as archive_rules
from ..rules import cadence as cadence_rules
from ..rules import credit as credit_rules
from ..rules import guards
from ..rules import tiers as tier_rules

TIER_SELECTION = [
    ('a', 'A – Strategic'),
    ('b', 'B – Key'),
    ('c', 'C – General'),
]
# fields only the tier engine (SQL) or a Manager may change
TIER_MANAGED_FIELDS = {'customer_tier', 'tier_locked', 'tier_lock_reason', 'tier_monthly_average'}
# the fields every "own customer" record rule keys on
OWNER_FIELDS = ('user_id', 'archive_user_id')
ARCHIVE_GROUP = 'custmgmt_addon.group_custmgmt_user'
FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'
MANAGER_GROUP = 'custmgmt_addon.group_custmgmt_manager'
# credit fields only Finance (or the collection job) may change
CREDIT_MANAGED_FIELDS = ('credit_standing', 'custmgmt_dunning_level', 'custmgmt_dunning_date')


class ResPartner(models.Model):
    _inherit = 'res.partner'

    # ------------------------------------------------------------
    # FIELDS: basic data (基础资料)
    # ------------------------------------------------------------

    registered_capital = fields.Monetary(
        currency_field='currency_id', groups=ARCHIVE_GROUP,
        help="Registered capital (注册资本) as in the business registration.")
    year_founded = fields.Integer(groups=ARCHIVE_GROUP)
    years_in_business = fields.Integer(
        string="Years in Business", compute='_compute_years_in_business', groups=ARCHIVE_GROUP)
    industry_position = fields.Selection(
        [('leader', 'Industry leader'),
         ('major', 'Major player'),
         ('average', 'Average player'),
         ('minor', 'Minor player')],
        groups=ARCHIVE_GROUP)
    employee_count = fields.Integer(string="Employees", groups=ARCHIVE_GROUP)
    business_situation = fields.Text(
        groups=ARCHIVE_GROUP,
        help="How the customer's own business is going: products, markets, plans.")

    # ------------------------------------------------------------
    # FIELDS: credit data (信誉资料)
    # ------------------------------------------------------------

    statement_day = fields.Integer(
        groups=ARCHIVE_GROUP,
        help="Day of the month the customer closes its accounts (结账日), 1 to 31.")
    credit_standing = fields.Selection(
        [('good', 'Good'), ('normal', 'Normal'), ('watch', 'Watch'), ('bad', 'Bad')],
        tracking=True, groups=ARCHIVE_GROUP)
    last_credit_review_date = fields.Date(string="Last Credit Review", groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # FIELDS: operating data (运营资料)
    # ------------------------------------------------------------

    sales_staff_count = fields.Integer(string="Sales Staff", groups=ARCHIVE_GROUP)
    market_coverage = fields.Char(groups=ARCHIVE_GROUP)
    business_area = fields.Char(groups=ARCHIVE_GROUP)
    warehouse_area = fields.Float(string="Warehouse Area (m²)", groups=ARCHIVE_GROUP)
    transport_mode = fields.Selection(
        [('own_fleet', 'Own fleet'),
         ('carrier', 'Third-party carrier'),
         ('rail', 'Rail'),
         ('sea', 'Sea'),
         ('pickup', 'Customer pickup'),
         ('mixed', 'Mixed')],
        groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # FIELDS: relationship and decision chain (决策链)
    # ------------------------------------------------------------

    relationship_stage = fields.Selection(
        [('acquaintance', 'Acquaintance'),
         ('meeting', 'Meeting'),
         ('trust', 'Trust'),
         ('alliance', 'Alliance')],
        tracking=True, groups=ARCHIVE_GROUP)
    personality = fields.Selection(
        [('stable', 'Stable'),
         ('agile', 'Agile'),
         ('rigid', 'Rigid'),
         ('hesitant', 'Hesitant'),
         ('irritable', 'Irritable')],
        string="Customer Personality", tracking=True, groups=ARCHIVE_GROUP,
        help="Sets visit frequency, negotiation style and service standard.")
    archive_user_id = fields.Many2one(
        'res.users', string="Archive Owner", compute='_compute_archive_user_id',
        store=True, readonly=False, tracking=True, groups=ARCHIVE_GROUP,
        help="The one person responsible for this customer file; defaults to the salesperson.")
    purchase_decision_process = fields.Text(groups=ARCHIVE_GROUP)
    decision_member_ids = fields.One2many(
        'custmgmt.decision.member', 'partner_id', string="Decision Chain", groups=ARCHIVE_GROUP)
    competitor_line_ids = fields.One2many(
        'custmgmt.competitor.line', 'partner_id', string="Competitors", groups=ARCHIVE_GROUP)
    sales_month_ids = fields.One2many(
        'custmgmt.partner.sales.month', 'partner_id', string="Monthly Sales", groups=ARCHIVE_GROUP)
    decision_member_count = fields.Integer(
        compute='_compute_decision_member_count', groups=ARCHIVE_GROUP)
    custmgmt_archive_editable = fields.Boolean(
        string="May Edit the Archive", compute='_compute_custmgmt_archive_editable', groups=ARCHIVE_GROUP,
        help="The current user may add to the decision chain and the competitors of this customer: "
             "its salesperson, its archive owner or a Manager.")

    # ------------------------------------------------------------
    # FIELDS: tier (客户分级), per company
    # ------------------------------------------------------------

    customer_tier = fields.Selection(
        TIER_SELECTION, company_dependent=True, groups=ARCHIVE_GROUP,
        help="Strategic (A), key (B) or general (C) customer of the current company, "
             "recomputed from posted invoices by the tier engine.")
    tier_monthly_average = fields.Float(
        string="Monthly Average Sales", company_dependent=True, groups=ARCHIVE_GROUP,
        digits=(16, 2), help="Average monthly untaxed sales over the tier window, in company currency.")
    # per company too, kept in custmgmt.tier.position (see there why)
    tier_rank = fields.Integer(compute='_compute_tier_position', groups=ARCHIVE_GROUP)
    tier_share_before = fields.Float(
        string="Share Ranked Above (%)", compute='_compute_tier_position', groups=ARCHIVE_GROUP, digits=(16, 2),
        help="Share of the company's sales made by the customers ranked above this one.")
    tier_computed_on = fields.Date(compute='_compute_tier_position', groups=ARCHIVE_GROUP)
    tier_locked = fields.Boolean(
        company_dependent=True, groups=ARCHIVE_GROUP,
        help="A locked tier is kept by the recompute, which still refreshes its figures.")
    tier_lock_reason = fields.Char(string="Lock Reason", company_dependent=True, groups=ARCHIVE_GROUP)
    tier_explanation = fields.Char(
        string="Why This Tier", compute='_compute_tier_explanation', groups=ARCHIVE_GROUP)
    tier_history_count = fields.Integer(compute='_compute_tier_history_count', groups=ARCHIVE_GROUP)
    company_currency_id = fields.Many2one(
        'res.currency', compute='_compute_company_currency_id', groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('year_founded')
    def _compute_years_in_business(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.years_in_business = archive_rules.years_in_business(partner.year_founded, today)

    @api.depends('user_id')
    def _compute_archive_user_id(self):
        for partner in self:
            # on a handover (seen in the form), the owner follows the salesperson
            # unless it was set to someone else on purpose; write() does the same
            old_salesperson = partner._origin.user_id if partner._origin else partner.user_id
            if partner.user_id and guards.archive_owner_follows(partner.archive_user_id.id, old_salesperson.id):
                partner.archive_user_id = partner.user_id
            else:
                partner.archive_user_id = partner.archive_user_id

    @api.depends('user_id', 'archive_user_id')
    @api.depends_context('uid')
    def _compute_custmgmt_archive_editable(self):
        user = self.env.user
        manager = self.env.su or user.has_group('custmgmt_addon.group_custmgmt_manager')
        for partner in self:
            saved = partner._origin
            partner.custmgmt_archive_editable = manager or not saved or user in (
                saved.sudo().user_id | saved.sudo().archive_user_id)

    def _compute_decision_member_count(self):
        counts = dict(self.env['custmgmt.decision.member']._read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        for partner in self:
            partner.decision_member_count = counts.get(partner, 0)

    @api.depends_context('company')
    def _compute_tier_history_count(self):
        counts = dict(self.env['custmgmt.tier.history']._read_group(
            [('partner_id', 'in', self.ids), ('company_id', '=', self.env.company.id)],
            ['partner_id'], ['__count']))
        for partner in self:
            partner.tier_history_count = counts.get(partner, 0)

    @api.depends_context('company')
    def _compute_tier_position(self):
        positions = {
            position.partner_id.id: position
            for position in self.env['custmgmt.tier.position'].sudo().search([
                ('partner_id', 'in', self.ids), ('company_id', '=', self.env.company.id)])
        }
        for partner in self:
            position = positions.get(partner.id)
            partner.tier_rank = position.rank if position else 0
            partner.tier_share_before = position.share_before if position else 0.0
            partner.tier_computed_on = position.computed_on if position else False

    @api.depends_context('company')
    def _compute_company_currency_id(self):
        self.company_currency_id = self.env.company.currency_id

    @api.depends_context('company', 'lang')
    @api.depends('customer_tier', 'tier_monthly_average', 'tier_locked', 'tier_lock_reason')
    def _compute_tier_explanation(self):
        company = self.env.company
        labels = dict(self._fields['customer_tier']._description_selection(self.env))
        window = company._custmgmt_tier_last_window_label()
        for partner in self:
            if not partner.customer_tier:
                partner.tier_explanation = _("Not tiered: no posted customer invoice in %(company)s yet.",
                                             company=company.name)
                continue
            tier = labels[partner.customer_tier]
            if not window:
                text = _("Set by hand → %(tier)s", tier=tier)
            else:
                text = _(
                    "Monthly average %(average)s over %(window)s, rank %(rank)s of %(count)s, "
                    "%(share).1f %% of sales ranked above → %(tier)s",
                    average=format_amount(self.env, partner.tier_monthly_average, company.currency_id),
                    window=window, rank=partner.tier_rank, count=company.custmgmt_tier_last_count,
                    share=partner.tier_share_before, tier=tier,
                )
            if partner.tier_locked:
                text = _("%(text)s (locked: %(reason)s)", text=text, reason=partner.tier_lock_reason or '')
            partner.tier_explanation = text

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('statement_day')
    def _check_statement_day(self):
        for partner in self:
            if not archive_rules.statement_day_valid(partner.statement_day):
                raise ValidationError(_(
                    "The statement day of %(customer)s must be a day of the month from 1 to 31, not %(day)s.",
                    customer=partner.display_name, day=partner.statement_day))

    @api.constrains('year_founded')
    def _check_year_founded(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if not guards.year_founded_valid(partner.year_founded, today):
                raise ValidationError(_(
                    "The year %(customer)s was founded must be from %(first)s to %(last)s, not %(year)s.",
                    customer=partner.display_name, first=guards.MIN_YEAR_FOUNDED, last=today.year,
                    year=partner.year_founded))

    @api.constrains('registered_capital', 'warehouse_area', 'employee_count', 'sales_staff_count')
    def _check_archive_figures(self):
        for partner in self:
            if not all(guards.amount_valid(value) for value in (partner.registered_capital,
                                                                partner.warehouse_area)) \
                    or not all(guards.count_valid(value) for value in (partner.employee_count,
                                                                       partner.sales_staff_count)):
                raise ValidationError(_(
                    "Registered capital, warehouse area, employees and sales staff of %(customer)s "
                    "cannot be negative.", customer=partner.display_name))

    @api.constrains('custmgmt_visit_time')
    def _check_custmgmt_visit_time(self):
        for partner in self:
            if not cadence_rules.valid_time(partner.custmgmt_visit_time):
                raise ValidationError(_("The visit time is an hour of the day, from 00:00 to 23:59."))

    @api.constrains('tier_locked', 'tier_lock_reason')
    def _check_tier_lock_reason(self):
        for partner in self:
            if partner.tier_locked and not (partner.tier_lock_reason or '').strip():
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
            if self.env.user.has_group(ARCHIVE_GROUP):
                # a User who opens the file of a new customer nobody sells to
                # yet is its archive owner (one person responsible, seed 001 §三)
                for vals in vals_list:
                    if not vals.get('parent_id') and not vals.get('user_id') \
                            and not vals.get('archive_user_id') \
                            and not self.env.context.get('default_user_id') \
                            and not self.env.context.get('default_archive_user_id'):
                        vals['archive_user_id'] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        manager = self._custmgmt_is_manager()
        if TIER_MANAGED_FIELDS & vals.keys() and not manager:
            raise AccessError(_("Only customer management Managers can set or lock a customer tier."))
        if set(CREDIT_MANAGED_FIELDS) & vals.keys() and not self.env.su and not self.env.user.has_group(FINANCE_GROUP):
            raise AccessError(_("Only Finance can set the credit standing or the dunning level of a customer."))
        owner_fields = [fname for fname in OWNER_FIELDS if fname in vals]
        if owner_fields and not manager:
            self._custmgmt_check_owner_change(vals, owner_fields)
        # a handover of the salesperson takes the archive owner along (unless
        # it was set to someone else on purpose, or is written too)
        followers = self.browse()
        if vals.get('user_id') and 'archive_user_id' not in vals:
            followers = self.sudo().filtered(lambda partner: partner.user_id.id != vals['user_id'] and
                                             guards.archive_owner_follows(partner.archive_user_id.id,
                                                                          partner.user_id.id))
        old_tiers = {}
        if 'customer_tier' in vals:
            old_tiers = {partner: partner.customer_tier for partner in self}
        res = super().write(vals)
        if followers:
            super(ResPartner, followers).write({'archive_user_id': vals['user_id']})
        if old_tiers:
            self._custmgmt_log_manual_tier_change(old_tiers)
        return res

    def _custmgmt_is_manager(self):
        return self.env.su or self.env.user.has_group('custmgmt_addon.group_custmgmt_manager')

    def _custmgmt_check_owner_change(self, vals, owner_fields):
        """A User does not take over another salesperson's customer: the
        salesperson and the archive owner of a customer someone else owns are
        changed by Managers (see rules.guards.can_reassign_owner)."""
        uid = self.env.uid
        labels = {fname: self._fields[fname]._description_string(self.env) for fname in owner_fields}
        for partner in self.sudo():
            for fname in owner_fields:
                if not guards.can_reassign_owner(uid, partner.user_id.id, partner.archive_user_id.id,
                                                 partner[fname].id, vals[fname] or False):
                    raise AccessError(_(
                        "%(customer)s belongs to %(owner)s: only customer management Managers can change "
                        "its %(field)s.",
                        customer=partner.display_name,
                        owner=(partner.user_id | partner.archive_user_id)[:1].name or '', field=labels[fname]))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_custmgmt_open_tier_history(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_tier_history_action')
        action['domain'] = [('partner_id', '=', self.id)]
        action['context'] = {'default_partner_id': self.id}
        return action

    def action_custmgmt_open_sales_months(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_partner_sales_month_action')
        action['domain'] = [('partner_id', '=', self.commercial_partner_id.id)]
        return action

    def action_custmgmt_open_decision_members(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_decision_member_action')
        action['domain'] = [('partner_id', '=', self.id)]
        action['context'] = {'default_partner_id': self.id}
        return action

    def action_custmgmt_unlock_tier(self):
        self.write({'tier_locked': False, 'tier_lock_reason': False})

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_log_manual_tier_change(self, old_tiers):
        """History row and chatter note for tiers changed through the ORM (by hand)."""
        self.env['custmgmt.tier.history'].sudo()._record_changes(self.env.company, [
            tier_rules.TierChange(partner.id, old_tier, partner.customer_tier, partner.tier_monthly_average,
                       partner.tier_lock_reason)
            for partner, old_tier in old_tiers.items()
        ], fields.Date.context_today(self), 'manual')

    def _custmgmt_tier_note(self, old_tier, new_tier, direction, manual=False):
        """The chatter note of a tier change. The partner's chatter is read by
        every internal user: the note says that the tier changed and where to
        look (the tier history, restricted to the archive group), never the
        tiers or figures themselves."""
        template = _("Customer tier changed by hand in %(company)s: see the tier history.") if manual \
            else _("Customer tier changed in %(company)s: see the tier history.")
        return template % {'company': self.env.company.name}

    # ------------------------------------------------------------
    # COMPLAINTS AND DISPUTES (history on the archive)
    # ------------------------------------------------------------

    complaint_ids = fields.One2many('custmgmt.complaint', 'partner_id', string="Complaints", groups=ARCHIVE_GROUP)
    dispute_ids = fields.One2many('custmgmt.dispute', 'partner_id', string="Disputes", groups=ARCHIVE_GROUP)
    complaint_count = fields.Integer(compute='_compute_complaint_dispute_count', groups=ARCHIVE_GROUP)
    dispute_count = fields.Integer(compute='_compute_complaint_dispute_count', groups=ARCHIVE_GROUP)

    def _compute_complaint_dispute_count(self):
        complaints = dict(self.env['custmgmt.complaint']._read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        disputes = dict(self.env['custmgmt.dispute']._read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        for partner in self:
            partner.complaint_count = complaints.get(partner, 0)
            partner.dispute_count = disputes.get(partner, 0)

    def action_custmgmt_open_complaints(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_complaint_action')
        action['domain'] = [('partner_id', '=', self.id)]
        action['context'] = {'default_partner_id': self.id}
        return action

    def action_custmgmt_open_disputes(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_dispute_action')
        action['domain'] = [('partner_id', '=', self.id)]
        action['context'] = {'default_partner_id': self.id}
        return action

    # ------------------------------------------------------------
    # CREDIT AND RECEIVABLES (per company, in company currency)
    # ------------------------------------------------------------

    custmgmt_receivables_visible = fields.Boolean(
        compute='_compute_custmgmt_receivables', groups=ARCHIVE_GROUP,
        help="The current user may read this customer's receivable figures: Finance and Managers for every "
             "customer, Users for the customers they sell to or own, as in the receivable aging report.")
    custmgmt_overdue_amount = fields.Monetary(
        string="Overdue", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_oldest_overdue_days = fields.Integer(
        string="Days Overdue (oldest)", compute='_compute_custmgmt_receivables', groups=ARCHIVE_GROUP)
    custmgmt_open_amount = fields.Monetary(
        string="Open Receivables", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP, help="Posted receivables not yet paid, in this company.")
    custmgmt_aging_not_due = fields.Monetary(
        string="Not Due", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_1_30 = fields.Monetary(
        string="1–30 Days", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_31_60 = fields.Monetary(
        string="31–60 Days", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_61_90 = fields.Monetary(
        string="61–90 Days", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_over_90 = fields.Monetary(
        string="Over 90 Days", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_draft_invoiced = fields.Monetary(
        string="Draft Invoices", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_to_invoice = fields.Monetary(
        string="Orders to Invoice", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP, help="Confirmed orders not yet invoiced, tax included.")
    custmgmt_exposure = fields.Monetary(
        string="Credit Exposure", compute='_compute_custmgmt_receivables', currency_field='company_currency_id',
        groups=ARCHIVE_GROUP,
        help="Open receivables + draft customer invoices + confirmed orders not yet invoiced, tax included, "
             "in company currency (credit limits are in company currency too).")
    custmgmt_over_credit_limit = fields.Boolean(
        string="Over Credit Limit", compute='_compute_custmgmt_over_credit_limit',
        search='_search_custmgmt_over_credit_limit', groups=ARCHIVE_GROUP,
        help="The customer has a credit limit in this company and its exposure is above it.")
    custmgmt_is_finance = fields.Boolean(compute='_compute_custmgmt_is_finance')
    custmgmt_dunning_level = fields.Integer(
        string="Dunning Level", company_dependent=True, groups=ARCHIVE_GROUP, readonly=True,
        help="Level of the last dunning letter sent (1 to 3); back to 0 once nothing is overdue.")
    custmgmt_dunning_date = fields.Date(string="Last Dunning Letter", company_dependent=True, groups=ARCHIVE_GROUP,
                                        readonly=True)
    custmgmt_payment_delay = fields.Float(
        string="Average Payment Delay (days)", compute='_compute_custmgmt_receivables', digits=(16, 1),
        groups=ARCHIVE_GROUP,
        help="Days paid after the due date, on average, over the invoices settled in the last 12 months: "
             "late payment is a sign of a dissatisfied customer.")

    @api.depends_context('uid')
    def _compute_custmgmt_is_finance(self):
        self.custmgmt_is_finance = self.env.su or self.env.user.has_group(FINANCE_GROUP)

    def _custmgmt_receivables_visible_ids(self):
        """Ids of the commercial partners in ``self`` whose receivable figures
        the current user may read: the same people as the aging report."""
        user = self.env.user
        if self.env.su or user.has_group(FINANCE_GROUP) or user.has_group(MANAGER_GROUP):
            return set(self.ids)
        return {partner.id for partner in self.sudo()
                if user.id in (partner.user_id.id, partner.archive_user_id.id)}

    @api.depends_context('company', 'uid')
    def _compute_custmgmt_receivables(self):
        """All figures of the recordset at once, per commercial partner: the
        exposure and the oldest overdue item from one grouped query, the aging
        buckets and the payment delay from grouped queries. Customers whose
        figures the user may not read show nothing."""
        commercials = self.commercial_partner_id._origin
        visible = commercials._custmgmt_receivables_visible_ids()
        readable = commercials.browse(sorted(visible))
        positions = readable._custmgmt_credit_positions(self.env.company)
        figures = readable._custmgmt_receivable_figures()
        for partner in self:
            commercial = partner.commercial_partner_id._origin.id
            values = figures.get(commercial, {})
            position = positions.get(commercial, {})
            partner.custmgmt_receivables_visible = commercial in visible
            for bucket in credit_rules.BUCKETS:
                partner[f'custmgmt_aging_{bucket}'] = values.get(bucket, 0.0)
            partner.custmgmt_open_amount = position.get('open', 0.0)
            partner.custmgmt_overdue_amount = position.get('overdue', 0.0)
            partner.custmgmt_oldest_overdue_days = position.get('oldest', 0)
            partner.custmgmt_draft_invoiced = position.get('draft', 0.0)
            partner.custmgmt_to_invoice = position.get('to_invoice', 0.0)
            partner.custmgmt_exposure = position.get('exposure', 0.0)
            partner.custmgmt_payment_delay = values.get('delay', 0.0)

    @api.depends_context('company', 'uid')
    def _compute_custmgmt_over_credit_limit(self):
        commercials = self.commercial_partner_id._origin
        visible = commercials._custmgmt_receivables_visible_ids()
        over = set(self._custmgmt_over_limit_ids(self.env.company, sorted(visible))) if visible else set()
        for partner in self:
            partner.custmgmt_over_credit_limit = partner.commercial_partner_id._origin.id in over

    def _search_custmgmt_over_credit_limit(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_("Over credit limit can only be searched as over or not."))
        over = self.browse(self._custmgmt_over_limit_ids(self.env.company))
        # the filter tells no more than the figures: Users learn it of their own customers only
        ids = sorted(over._custmgmt_receivables_visible_ids())
        return [('commercial_partner_id', 'in' if (operator == '=') == value else 'not in', ids)]

    @api.constrains('credit_limit')
    def _check_custmgmt_credit_limit(self):
        for partner in self.sudo():
            if not credit_rules.limit_is_valid(partner.credit_limit):
                raise ValidationError(_("The credit limit of %(customer)s cannot be negative (0 means no limit).",
                                        customer=partner.display_name))

    @api.constrains(*CREDIT_MANAGED_FIELDS)
    def _check_custmgmt_credit_fields_by_finance(self):
        """Credit standing and dunning level are Finance's: on create, copy and
        import as well as on write (see ``write``)."""
        if self.env.su or self.env.user.has_group(FINANCE_GROUP):
            return
        for partner in self.sudo():
            if any(partner[fname] for fname in CREDIT_MANAGED_FIELDS):
                raise AccessError(_("Only Finance can set the credit standing or the dunning level of a customer."))

    @api.model
    def _custmgmt_exposure_query(self, today, company_ids, partner_ids=None, partner_filter=None):
        """SQL returning ``(partner_id, company_id, open, overdue, oldest_days,
        draft, to_invoice)`` per commercial partner and company, in company
        currency, in one grouped query: posted open receivables (overdue: due
        before today; oldest: days of the oldest overdue debit), draft customer
        invoices and refunds not made from orders (their orders count), and
        confirmed orders not yet invoiced, tax included, by invoice address.

        :param partner_ids: commercial partners to read (all when None)
        :param partner_filter: SQL subquery of commercial partner ids to read
        """
        for model, fnames in (
                ('account.move.line', ['amount_residual', 'date_maturity', 'date', 'partner_id', 'account_id',
                                       'parent_state', 'reconciled', 'company_id', 'move_id']),
                ('account.move', ['state', 'move_type', 'amount_total_signed', 'partner_id', 'company_id']),
                ('sale.order', ['state', 'partner_invoice_id', 'company_id', 'currency_rate']),
                ('sale.order.line', ['untaxed_amount_to_invoice', 'price_total', 'price_subtotal', 'order_id']),
                ('res.partner', ['commercial_partner_id'])):
            self.env[model].flush_model(fnames)

        def partner_cond(column):
            conds = [SQL("TRUE")]
            if partner_ids is not None:
                conds.append(SQL("%s = ANY(%s)", column, list(partner_ids)))
            if partner_filter is not None:
                conds.append(SQL("%s IN (%s)", column, partner_filter))
            return SQL(" AND ").join(conds)

        return SQL(
            """
            SELECT src.partner_id, src.company_id,
                   COALESCE(SUM(src.open), 0), COALESCE(SUM(src.overdue), 0), COALESCE(MAX(src.days), 0),
                   COALESCE(SUM(src.draft), 0), COALESCE(SUM(src.to_invoice), 0)
              FROM (
                    SELECT partner.commercial_partner_id AS partner_id, line.company_id,
                           line.amount_residual AS open,
                           CASE WHEN COALESCE(line.date_maturity, line.date) < %(today)s
                                THEN line.amount_residual END AS overdue,
                           CASE WHEN COALESCE(line.date_maturity, line.date) < %(today)s AND line.amount_residual > 0
                                THEN %(today)s::date - COALESCE(line.date_maturity, line.date) END AS days,
                           NULL::numeric AS draft, NULL::numeric AS to_invoice
                      FROM account_move_line line
                      %(open_item_joins)s
                     WHERE %(open_item)s
                       AND line.company_id = ANY(%(companies)s)
                       AND %(line_partner)s
                 UNION ALL
                    SELECT partner.commercial_partner_id, move.company_id, NULL, NULL, NULL,
                           move.amount_total_signed, NULL
                      FROM account_move move
                      JOIN res_partner partner ON partner.id = move.partner_id
                     WHERE move.state = 'draft' AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.company_id = ANY(%(companies)s)
                       AND %(move_partner)s
                       AND NOT EXISTS (SELECT 1
                                         FROM account_move_line line
                                         JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = line.id
                                        WHERE line.move_id = move.id)
                 UNION ALL
                    SELECT partner.commercial_partner_id, sale.company_id, NULL, NULL, NULL, NULL,
                           sol.untaxed_amount_to_invoice
                           * CASE WHEN sol.price_subtotal != 0 THEN sol.price_total / sol.price_subtotal ELSE 1 END
                           / COALESCE(NULLIF(sale.currency_rate, 0), 1)
                      FROM sale_order_line sol
                      JOIN sale_order sale ON sale.id = sol.order_id
                      JOIN res_partner partner ON partner.id = sale.partner_invoice_id
                     WHERE sale.state = 'sale' AND sol.untaxed_amount_to_invoice > 0
                       AND sale.company_id = ANY(%(companies)s)
                       AND %(order_partner)s
                   ) src
          GROUP BY src.partner_id, src.company_id
            """,
            today=today, companies=list(company_ids),
            open_item_joins=SQL(credit_rules.OPEN_ITEM_JOINS), open_item=SQL(credit_rules.OPEN_ITEM_CONDITION),
            line_partner=partner_cond(SQL("partner.commercial_partner_id")),
            move_partner=partner_cond(SQL("partner.commercial_partner_id")),
            order_partner=partner_cond(SQL("partner.commercial_partner_id")),
        )

    def _custmgmt_credit_positions(self, company):
        """``{commercial_partner_id: {'open', 'overdue', 'oldest', 'draft',
        'to_invoice', 'exposure'}}`` of the commercial partners in ``self`` in
        ``company``, from one grouped query (the credit hold's check)."""
        if not self:
            return {}
        rows = self.env.execute_query(self._custmgmt_exposure_query(
            fields.Date.context_today(self), [company.id], partner_ids=self.ids))
        return {
            partner_id: {
                'open': float(open_), 'overdue': float(overdue), 'oldest': days,
                'draft': float(draft), 'to_invoice': float(to_invoice),
                'exposure': float(open_) + float(draft) + float(to_invoice),
            }
            for partner_id, _company_id, open_, overdue, days, draft, to_invoice in rows
        }

    @api.model
    def _custmgmt_limit_sql(self, company, alias):
        """SQL of the credit limit of the partner ``alias`` in ``company``,
        core's company default (ir.default) when the partner has none."""
        fallback = self._fields['credit_limit'].get_company_dependent_fallback(
            self.sudo().with_company(company)) or 0.0
        return SQL("COALESCE((%s.credit_limit ->> %s)::float8, %s)", SQL.identifier(alias), str(company.id),
                   float(fallback)), fallback

    @api.model
    def _custmgmt_over_limit_ids(self, company, partner_ids=None):
        """Commercial partners with a credit limit in ``company`` and an
        exposure above it, computed in SQL."""
        limit, fallback = self._custmgmt_limit_sql(company, 'customer')
        self.flush_model(['credit_limit'])
        partner_filter = None
        if not fallback:  # only customers with a limit of their own can be over it
            partner_filter = SQL("SELECT id FROM res_partner WHERE (credit_limit ->> %s)::float8 > 0", str(company.id))
        rows = self.env.execute_query(SQL(
            """
            SELECT exposure.partner_id
              FROM (%(exposure)s) AS exposure(partner_id, company_id, open, overdue, oldest, draft, to_invoice)
              JOIN res_partner customer ON customer.id = exposure.partner_id
             WHERE %(limit)s > 0 AND exposure.open + exposure.draft + exposure.to_invoice > %(limit)s
            """,
            exposure=self._custmgmt_exposure_query(fields.Date.context_today(self), [company.id],
                                                   partner_ids=partner_ids, partner_filter=partner_filter),
            limit=limit,
        ))
        return [row[0] for row in rows]

    def _custmgmt_receivable_figures(self):
        """``{commercial_partner_id: {bucket: amount, 'delay': days}}`` of the
        commercial partners in ``self``, in the current company."""
        commercial_ids = list(set(self.ids))
        if not commercial_ids:
            return {}
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env['account.move.line'].flush_model(
            ['amount_residual', 'date_maturity', 'date', 'partner_id', 'account_id', 'parent_state',
             'reconciled', 'company_id', 'move_id'])
        self.env['account.move'].flush_model(['move_type'])
        self.env['account.partial.reconcile'].flush_model(['debit_move_id', 'max_date'])
        figures = {}
        # open items grouped by customer and days overdue; the bucket of a
        # number of days is the business rule's
        for partner_id, days, residual in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id,
                   %(today)s::date - COALESCE(line.date_maturity, line.date),
                   SUM(line.amount_residual)
              FROM account_move_line line
              %(open_item_joins)s
             WHERE %(open_item)s
               AND line.company_id = %(company)s
               AND partner.commercial_partner_id = ANY(%(ids)s)
          GROUP BY 1, 2
            """,
            today=today, company=company.id, ids=commercial_ids,
            open_item_joins=SQL(credit_rules.OPEN_ITEM_JOINS), open_item=SQL(credit_rules.OPEN_ITEM_CONDITION),
        )):
            values = figures.setdefault(partner_id, {})
            bucket = credit_rules.aging_bucket(days)
            values[bucket] = values.get(bucket, 0.0) + float(residual)
        # payment delay: receivable items of customer invoices settled in the
        # last 12 months, days from their due date to their last payment (0 when on time)
        for partner_id, delay in self.env.execute_query(SQL(
            """
            SELECT paid.partner_id, AVG(GREATEST(paid.paid_on - paid.due, 0))
              FROM (SELECT partner.commercial_partner_id AS partner_id,
                           COALESCE(line.date_maturity, line.date) AS due,
                           MAX(partial.max_date) AS paid_on
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                      JOIN account_move move ON move.id = line.move_id
                      JOIN res_partner partner ON partner.id = line.partner_id
                      JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
                     WHERE account.account_type = 'asset_receivable'
                       AND line.parent_state = 'posted'
                       AND line.reconciled
                       AND move.move_type = 'out_invoice'
                       AND line.company_id = %(company)s
                       AND partner.commercial_partner_id = ANY(%(ids)s)
                  GROUP BY line.id, partner.commercial_partner_id) paid
             WHERE paid.paid_on >= %(since)s
          GROUP BY paid.partner_id
            """,
            company=company.id, ids=commercial_ids, since=fields.Date.subtract(today, months=12),
        )):
            figures.setdefault(partner_id, {})['delay'] = float(delay)
        return figures

    def action_custmgmt_open_credit_figure(self):
        """Open the items behind one credit figure of this customer, named by
        the context key ``custmgmt_figure``: ``open``, ``overdue``, an aging
        bucket, ``draft`` (draft invoices) or ``to_invoice`` (orders)."""
        self.ensure_one()
        figure = self.env.context.get('custmgmt_figure')
        customer = self.commercial_partner_id
        company = self.env.company
        if figure in ('open', 'overdue') or figure in credit_rules.BUCKETS:
            action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_receivable_aging_action')
            domain = [('partner_id', '=', customer.id), ('company_id', '=', company.id)]
            if figure == 'overdue':
                domain.append(('days_overdue', '>', 0))
            elif figure in credit_rules.BUCKETS:
                domain.append(('bucket', '=', figure))
            action.update(view_mode='list,pivot', views=[(False, 'list'), (False, 'pivot')])
        elif figure == 'draft':
            action = self.env['ir.actions.act_window']._for_xml_id('account.action_move_out_invoice_type')
            domain = [('commercial_partner_id', '=', customer.id), ('company_id', '=', company.id),
                      ('state', '=', 'draft'), ('move_type', 'in', ('out_invoice', 'out_refund')),
                      '!', ('line_ids', 'any', [('sale_line_ids', '!=', False)])]
        elif figure == 'to_invoice':
            action = self.env['ir.actions.act_window']._for_xml_id('sale.action_orders')
            domain = [('partner_invoice_id', 'any', [('commercial_partner_id', '=', customer.id)]),
                      ('company_id', '=', company.id), ('state', '=', 'sale'),
                      ('order_line', 'any', [('untaxed_amount_to_invoice', '>', 0)])]
        else:
            raise UserError(_("Unknown credit figure."))
        action['domain'] = domain
        action['context'] = {'create': False}
        action['name'] = _("%(figure)s of %(customer)s", figure=self._custmgmt_figure_label(figure),
                           customer=customer.display_name)
        return action

    def _custmgmt_figure_label(self, figure):
        fnames = {'open': 'custmgmt_open_amount', 'overdue': 'custmgmt_overdue_amount',
                  'draft': 'custmgmt_draft_invoiced', 'to_invoice': 'custmgmt_to_invoice'}
        fname = fnames.get(figure, f'custmgmt_aging_{figure}')
        return self._fields[fname]._description_string(self.env)

    # ------------------------------------------------------------
    # SERVICE BY TIER: visits and surveys (seed 000 §五, seed 004)
    # ------------------------------------------------------------

    custmgmt_visit_weekday = fields.Selection(
        [('0', 'Monday'), ('1', 'Tuesday'), ('2', 'Wednesday'), ('3', 'Thursday'), ('4', 'Friday'),
         ('5', 'Saturday'), ('6', 'Sunday')],
        string="Visit Weekday", groups=ARCHIVE_GROUP,
        help="The customer is visited on this weekday, at the same time (seed 004: 固定的一天和固定时间).")
    custmgmt_visit_time = fields.Float(string="Visit Time", groups=ARCHIVE_GROUP,
                                       help="Preferred time of the visits, in hours.")
    custmgmt_route_sequence = fields.Integer(
        string="Route Order", groups=ARCHIVE_GROUP,
        help="Order of the customer on its salesperson's route (路序), by area and best route "
             "for visits, deliveries and collections.")
    custmgmt_visit_opt_out = fields.Boolean(string="No Visits", groups=ARCHIVE_GROUP,
                                            help="The customer does not want to be visited.")
    custmgmt_last_visit_date = fields.Date(string="Last Visit", compute='_compute_custmgmt_visits',
                                           groups=ARCHIVE_GROUP)
    custmgmt_next_visit_date = fields.Date(
        string="Next Visit Due", compute='_compute_custmgmt_visits', groups=ARCHIVE_GROUP,
        help="Last done visit + the visit interval of the customer's tier, on its visit weekday.")
    custmgmt_next_top_visit_date = fields.Date(
        string="Next Top-Management Visit Due", compute='_compute_custmgmt_visits', groups=ARCHIVE_GROUP)
    custmgmt_visit_overdue = fields.Boolean(
        string="Visit Overdue", compute='_compute_custmgmt_visits', search='_search_custmgmt_visit_overdue',
        groups=ARCHIVE_GROUP)
    custmgmt_visit_count = fields.Integer(string="Visits", compute='_compute_custmgmt_visits',
                                          groups=ARCHIVE_GROUP)
    custmgmt_satisfaction_latest = fields.Float(
        string="Latest Satisfaction", compute='_compute_custmgmt_satisfaction', digits=(16, 2),
        groups=ARCHIVE_GROUP, help="Score of the latest customer opinion form, from 1 to 5.")
    custmgmt_satisfaction_avg = fields.Float(
        string="Satisfaction (12 months)", compute='_compute_custmgmt_satisfaction', digits=(16, 2),
        groups=ARCHIVE_GROUP, help="Average score of the customer opinion forms of the last 12 months.")
    custmgmt_survey_count = fields.Integer(string="Surveys", compute='_compute_custmgmt_satisfaction',
                                           groups=ARCHIVE_GROUP)

    @api.depends_context('company')
    @api.depends('customer_tier', 'custmgmt_visit_weekday', 'custmgmt_visit_opt_out', 'commercial_partner_id')
    def _compute_custmgmt_visits(self):
        company = self.env.company
        Visit = self.env['custmgmt.visit']
        today = fields.Date.context_today(self)
        policy = company._custmgmt_service_policy()
        commercial_ids = {pid for pid in self.commercial_partner_id._origin.ids if pid}
        rows = {row.partner_id: row for row in Visit._custmgmt_cadence_rows(company, commercial_ids)}
        for partner in self:
            commercial = partner.commercial_partner_id
            row = rows.get(commercial._origin.id)
            if row:  # the weekday and opt-out as edited, the rest as stored
                weekday = commercial.custmgmt_visit_weekday
                row = row._replace(weekday=int(weekday) if weekday else None,
                                   opt_out=commercial.custmgmt_visit_opt_out)
            due, top_due = Visit._custmgmt_due_dates(row, policy, today) if row else (None, None)
            last_dates = [day for day in (row and row.last_routine, row and row.last_top) if day]
            partner.custmgmt_last_visit_date = max(last_dates) if last_dates else False
            partner.custmgmt_next_visit_date = due or False
            partner.custmgmt_next_top_visit_date = top_due or False
            partner.custmgmt_visit_overdue = any(day and day < today for day in (due, top_due))
            partner.custmgmt_visit_count = row.visit_count if row else 0

    def _search_custmgmt_visit_overdue(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_("Overdue visits can only be searched as overdue or not."))
        ids = self.env['custmgmt.visit']._custmgmt_overdue_partner_ids(
            self.env.company, fields.Date.context_today(self))
        return [('id', 'in' if (operator == '=') == value else 'not in', ids)]

    @api.depends_context('company')
    def _compute_custmgmt_satisfaction(self):
        commercial_ids = {pid for pid in self.commercial_partner_id._origin.ids if pid}
        stats = self.env['survey.user_input']._custmgmt_satisfaction_stats(
            self.env.company, commercial_ids, fields.Date.context_today(self))
        for partner in self:
            latest, average, count = stats.get(partner.commercial_partner_id._origin.id, (0.0, 0.0, 0))
            partner.custmgmt_satisfaction_latest = latest
            partner.custmgmt_satisfaction_avg = average
            partner.custmgmt_survey_count = count

    def action_custmgmt_open_visits(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_visit_action')
        action['domain'] = [('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {'default_partner_id': self.commercial_partner_id.id}
        return action

    def action_custmgmt_record_survey(self):
        """Fill in the customer opinion form for this customer (on the phone)."""
        self.ensure_one()
        return self.env['survey.user_input']._custmgmt_start_for(self)

    def action_custmgmt_open_survey_answers(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_survey_answer_action')
        action['domain'] = [('custmgmt_partner_id', '=', self.commercial_partner_id.id)]
        return action
