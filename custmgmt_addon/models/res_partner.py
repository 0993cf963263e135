from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..rules import archive as archive_rules
from ..rules import guards

# the fields every "own customer" record rule keys on
OWNER_FIELDS = ('user_id', 'custmgmt_archive_user_id')
ARCHIVE_GROUP = 'custmgmt_addon.group_custmgmt_user'
FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'
MANAGER_GROUP = 'custmgmt_addon.group_custmgmt_manager'


class ResPartner(models.Model):
    """The customer archive (客户档案) on the commercial partner: basic,
    credit and operating data, relationship, decision chain and competitors,
    its owner, and the records about the customer. The tier, credit and
    service parts are in ``res_partner_tier.py``, ``res_partner_credit.py``
    and ``res_partner_service.py``."""
    _inherit = 'res.partner'

    # ------------------------------------------------------------
    # FIELDS: basic data (基础资料)
    # ------------------------------------------------------------

    custmgmt_registered_capital = fields.Monetary(string="Registered Capital",
        currency_field='currency_id', groups=ARCHIVE_GROUP,
        help="Registered capital (注册资本) as in the business registration.")
    custmgmt_year_founded = fields.Integer(string="Year Founded", groups=ARCHIVE_GROUP)
    custmgmt_years_in_business = fields.Integer(
        string="Years in Business", compute='_compute_years_in_business', groups=ARCHIVE_GROUP)
    custmgmt_industry_position = fields.Selection(
        [('leader', 'Industry leader'),
         ('major', 'Major player'),
         ('average', 'Average player'),
         ('minor', 'Minor player')], string="Industry Position",
        groups=ARCHIVE_GROUP)
    custmgmt_employee_count = fields.Integer(string="Employees", groups=ARCHIVE_GROUP)
    custmgmt_business_situation = fields.Text(string="Business Situation",
        groups=ARCHIVE_GROUP,
        help="How the customer's own business is going: products, markets, plans.")

    # ------------------------------------------------------------
    # FIELDS: credit data (信誉资料)
    # ------------------------------------------------------------

    custmgmt_statement_day = fields.Integer(string="Statement Day",
        groups=ARCHIVE_GROUP,
        help="Day of the month the customer closes its accounts (结账日), 1 to 31.")
    custmgmt_credit_standing = fields.Selection(
        [('good', 'Good'), ('normal', 'Normal'), ('watch', 'Watch'), ('bad', 'Bad')], string="Credit Standing",
        tracking=True, groups=ARCHIVE_GROUP)
    custmgmt_last_credit_review_date = fields.Date(string="Last Credit Review", groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # FIELDS: operating data (运营资料)
    # ------------------------------------------------------------

    custmgmt_sales_staff_count = fields.Integer(string="Sales Staff", groups=ARCHIVE_GROUP)
    custmgmt_market_coverage = fields.Char(string="Market Coverage", groups=ARCHIVE_GROUP)
    custmgmt_business_area = fields.Char(string="Business Area", groups=ARCHIVE_GROUP)
    custmgmt_warehouse_area = fields.Float(string="Warehouse Area (m²)", groups=ARCHIVE_GROUP)
    custmgmt_transport_mode = fields.Selection(
        [('own_fleet', 'Own fleet'),
         ('carrier', 'Third-party carrier'),
         ('rail', 'Rail'),
         ('sea', 'Sea'),
         ('pickup', 'Customer pickup'),
         ('mixed', 'Mixed')], string="Transport Mode",
        groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # FIELDS: relationship and decision chain (决策链)
    # ------------------------------------------------------------

    custmgmt_relationship_stage = fields.Selection(
        [('acquaintance', 'Acquaintance'),
         ('meeting', 'Meeting'),
         ('trust', 'Trust'),
         ('alliance', 'Alliance')], string="Relationship Stage",
        tracking=True, groups=ARCHIVE_GROUP)
    custmgmt_personality = fields.Selection(
        [('stable', 'Stable'),
         ('agile', 'Agile'),
         ('rigid', 'Rigid'),
         ('hesitant', 'Hesitant'),
         ('irritable', 'Irritable')],
        string="Customer Personality", tracking=True, groups=ARCHIVE_GROUP,
        help="Sets visit frequency, negotiation style and service standard.")
    custmgmt_archive_user_id = fields.Many2one(
        'res.users', string="Archive Owner", compute='_compute_archive_user_id',
        store=True, readonly=False, tracking=True, groups=ARCHIVE_GROUP,
        help="The one person responsible for this customer file; defaults to the salesperson.")
    custmgmt_purchase_decision_process = fields.Text(string="Purchase Decision Process", groups=ARCHIVE_GROUP)
    custmgmt_decision_member_ids = fields.One2many(
        'custmgmt.decision.member', 'partner_id', string="Decision Chain", groups=ARCHIVE_GROUP)
    custmgmt_competitor_line_ids = fields.One2many(
        'custmgmt.competitor.line', 'partner_id', string="Competitors", groups=ARCHIVE_GROUP)
    custmgmt_sales_month_ids = fields.One2many(
        'custmgmt.partner.sales.month', 'partner_id', string="Monthly Sales", groups=ARCHIVE_GROUP)
    custmgmt_decision_member_count = fields.Integer(string="Decision Member Count",
        compute='_compute_decision_member_count', groups=ARCHIVE_GROUP)
    custmgmt_archive_editable = fields.Boolean(
        string="May Edit the Archive", compute='_compute_custmgmt_archive_editable', groups=ARCHIVE_GROUP,
        help="The current user may add to the decision chain and the competitors of this customer: "
             "its salesperson, its archive owner or a Manager.")
    custmgmt_company_currency_id = fields.Many2one(
        'res.currency', string="Company Currency", compute='_compute_company_currency_id', groups=ARCHIVE_GROUP)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('custmgmt_year_founded')
    def _compute_years_in_business(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.custmgmt_years_in_business = archive_rules.years_in_business(partner.custmgmt_year_founded, today)

    @api.depends('user_id')
    def _compute_archive_user_id(self):
        for partner in self:
            # on a handover (seen in the form), the owner follows the salesperson
            # unless it was set to someone else on purpose; write() does the same
            old_salesperson = partner._origin.user_id if partner._origin else partner.user_id
            if partner.user_id and guards.archive_owner_follows(partner.custmgmt_archive_user_id.id, old_salesperson.id):
                partner.custmgmt_archive_user_id = partner.user_id
            else:
                partner.custmgmt_archive_user_id = partner.custmgmt_archive_user_id

    @api.depends('user_id', 'custmgmt_archive_user_id')
    @api.depends_context('uid')
    def _compute_custmgmt_archive_editable(self):
        user = self.env.user
        manager = self.env.su or user.has_group('custmgmt_addon.group_custmgmt_manager')
        for partner in self:
            saved = partner._origin
            partner.custmgmt_archive_editable = manager or not saved or user in (
                saved.sudo().user_id | saved.sudo().custmgmt_archive_user_id)

    def _compute_decision_member_count(self):
        counts = dict(self.env['custmgmt.decision.member']._read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        for partner in self:
            partner.custmgmt_decision_member_count = counts.get(partner, 0)

    @api.depends_context('company')
    def _compute_company_currency_id(self):
        self.custmgmt_company_currency_id = self.env.company.currency_id

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_statement_day')
    def _check_statement_day(self):
        for partner in self:
            if not archive_rules.statement_day_valid(partner.custmgmt_statement_day):
                raise ValidationError(_(
                    "The statement day of %(customer)s must be a day of the month from 1 to 31, not %(day)s.",
                    customer=partner.display_name, day=partner.custmgmt_statement_day))

    @api.constrains('custmgmt_year_founded')
    def _check_year_founded(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if not guards.year_founded_valid(partner.custmgmt_year_founded, today):
                raise ValidationError(_(
                    "The year %(customer)s was founded must be from %(first)s to %(last)s, not %(year)s.",
                    customer=partner.display_name, first=guards.MIN_YEAR_FOUNDED, last=today.year,
                    year=partner.custmgmt_year_founded))

    @api.constrains('custmgmt_registered_capital', 'custmgmt_warehouse_area', 'custmgmt_employee_count',
                    'custmgmt_sales_staff_count')
    def _check_archive_figures(self):
        for partner in self:
            if not all(guards.amount_valid(value) for value in (partner.custmgmt_registered_capital,
                                                                partner.custmgmt_warehouse_area)) \
                    or not all(guards.count_valid(value) for value in (partner.custmgmt_employee_count,
                                                                       partner.custmgmt_sales_staff_count)):
                raise ValidationError(_(
                    "Registered capital, warehouse area, employees and sales staff of %(customer)s "
                    "cannot be negative.", customer=partner.display_name))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self._custmgmt_is_manager() and self.env.user.has_group(ARCHIVE_GROUP):
            # a User who opens the file of a new customer nobody sells to
            # yet is its archive owner (one person responsible, seed 001 §三)
            for vals in vals_list:
                if not vals.get('parent_id') and not vals.get('user_id') \
                        and not vals.get('custmgmt_archive_user_id') \
                        and not self.env.context.get('default_user_id') \
                        and not self.env.context.get('default_custmgmt_archive_user_id'):
                    vals['custmgmt_archive_user_id'] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        owner_fields = [fname for fname in OWNER_FIELDS if fname in vals]
        if owner_fields and not self._custmgmt_is_manager():
            self._custmgmt_check_owner_change(vals, owner_fields)
        # a handover of the salesperson takes the archive owner along (unless
        # it was set to someone else on purpose, or is written too)
        followers = self.browse()
        if vals.get('user_id') and 'custmgmt_archive_user_id' not in vals:
            followers = self.sudo().filtered(lambda partner: partner.user_id.id != vals['user_id'] and
                                             guards.archive_owner_follows(partner.custmgmt_archive_user_id.id,
                                                                          partner.user_id.id))
        res = super().write(vals)
        if followers:
            super(ResPartner, followers).write({'custmgmt_archive_user_id': vals['user_id']})
        return res

    def _custmgmt_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _custmgmt_own_ids(self):
        """Ids of the partners in ``self`` the current user owns: their
        salesperson or archive owner (the "own customers" of every record rule
        of the addon)."""
        uid = self.env.uid
        return {partner.id for partner in self.sudo() if uid in (partner.user_id.id, partner.custmgmt_archive_user_id.id)}

    def _custmgmt_check_owner_change(self, vals, owner_fields):
        """A User does not take over another salesperson's customer: the
        salesperson and the archive owner of a customer someone else owns are
        changed by Managers (see rules.guards.can_reassign_owner)."""
        uid = self.env.uid
        labels = {fname: self._fields[fname]._description_string(self.env) for fname in owner_fields}
        for partner in self.sudo():
            for fname in owner_fields:
                if not guards.can_reassign_owner(uid, partner.user_id.id, partner.custmgmt_archive_user_id.id,
                                                 partner[fname].id, vals[fname] or False):
                    raise AccessError(_(
                        "%(customer)s belongs to %(owner)s: only customer management Managers can change "
                        "its %(field)s.",
                        customer=partner.display_name,
                        owner=(partner.user_id | partner.custmgmt_archive_user_id)[:1].name or '', field=labels[fname]))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _custmgmt_open_related(self, xmlid, domain, default_partner=None):
        """The window action ``xmlid`` on the records ``domain`` of this
        customer (the "open related records" buttons of the form); new records
        made there are for ``default_partner``."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(xmlid)
        action['domain'] = domain
        if default_partner:
            action['context'] = {'default_partner_id': default_partner.id}
        return action

    def action_custmgmt_open_sales_months(self):
        return self._custmgmt_open_related(
            'custmgmt_addon.custmgmt_partner_sales_month_action', [('partner_id', '=', self.commercial_partner_id.id)])

    def action_custmgmt_open_decision_members(self):
        return self._custmgmt_open_related(
            'custmgmt_addon.custmgmt_decision_member_action', [('partner_id', '=', self.id)], default_partner=self)

    # ------------------------------------------------------------
    # COMPLAINTS AND DISPUTES (history on the archive)
    # ------------------------------------------------------------

    custmgmt_complaint_ids = fields.One2many('custmgmt.complaint', 'partner_id', string="Complaints", groups=ARCHIVE_GROUP)
    custmgmt_dispute_ids = fields.One2many('custmgmt.dispute', 'partner_id', string="Disputes", groups=ARCHIVE_GROUP)
    custmgmt_complaint_count = fields.Integer(string="Complaint Count",
        compute='_compute_complaint_dispute_count', groups=ARCHIVE_GROUP)
    custmgmt_dispute_count = fields.Integer(string="Dispute Count",
        compute='_compute_complaint_dispute_count', groups=ARCHIVE_GROUP)

    def _compute_complaint_dispute_count(self):
        complaints = dict(self.env['custmgmt.complaint']._read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        disputes = dict(self.env['custmgmt.dispute']._read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        for partner in self:
            partner.custmgmt_complaint_count = complaints.get(partner, 0)
            partner.custmgmt_dispute_count = disputes.get(partner, 0)

    def action_custmgmt_open_complaints(self):
        return self._custmgmt_open_related(
            'custmgmt_addon.custmgmt_complaint_action', [('partner_id', '=', self.id)], default_partner=self)

    def action_custmgmt_open_disputes(self):
        return self._custmgmt_open_related(
            'custmgmt_addon.custmgmt_dispute_action', [('partner_id', '=', self.id)], default_partner=self)
