from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

from ..rules import complaints as complaint_rules
from .res_partner import TIER_SELECTION

OPEN_STATES = ('new', 'in_progress')
ACTIVITY_TYPE = 'custmgmt_addon.mail_activity_type_complaint'


class CustmgmtComplaint(models.Model):
    """A customer complaint, routed to the department that answers for it:
    production for quality (product, packaging), sales for any other."""
    _name = 'custmgmt.complaint'
    _description = "Customer Complaint"
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'priority desc, date_received desc, id desc'
    _check_company_auto = True
    _rec_names_search = ['name', 'subject', 'partner_id']

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default='/')
    subject = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one('res.company', required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        'res.partner', string="Customer", tracking=True, index=True, check_company=True,
        domain=[('parent_id', '=', False)])
    contact_id = fields.Many2one('res.partner', string="Contact", check_company=True,
                                 domain="[('commercial_partner_id', '=', partner_id)]")
    email_from = fields.Char(string="Email")
    needs_triage = fields.Boolean(
        string="To Triage", tracking=True,
        help="Received by email from an address that matches no customer.")
    category_id = fields.Many2one('custmgmt.complaint.category', string="Category", tracking=True)
    kind = fields.Selection(related='category_id.kind', store=True, string="Kind")
    description = fields.Html()
    sale_order_id = fields.Many2one('sale.order', string="Sales Order", check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    invoice_id = fields.Many2one('account.move', string="Invoice", check_company=True,
                                 domain="[('move_type', '=', 'out_invoice'), ('partner_id', 'child_of', partner_id)]")
    product_id = fields.Many2one('product.product', string="Product", check_company=True)
    priority = fields.Selection([('0', 'Normal'), ('1', 'High'), ('2', 'Urgent')], default='0')
    date_received = fields.Datetime(string="Received", required=True, default=fields.Datetime.now)
    customer_tier = fields.Selection(
        TIER_SELECTION, string="Customer Tier", compute='_compute_customer_tier', store=True,
        help="The customer's tier in this company when the complaint came in.")
    department_id = fields.Many2one(
        'custmgmt.department', string="Department", compute='_compute_department_id', store=True,
        readonly=False, tracking=True, index=True, check_company=True)
    user_id = fields.Many2one(
        'res.users', string="Responsible", compute='_compute_user_id', store=True, readonly=False,
        tracking=True, index=True)
    deadline = fields.Datetime(compute='_compute_deadline', store=True, tracking=True)
    is_overdue = fields.Boolean(string="Overdue", compute='_compute_is_overdue', search='_search_is_overdue')
    state = fields.Selection(
        [('new', 'New'), ('in_progress', 'In Progress'), ('resolved', 'Resolved'),
         ('closed', 'Closed'), ('cancelled', 'Cancelled')],
        default='new', required=True, tracking=True, copy=False)
    root_cause = fields.Text(string="Root Cause")
    corrective_action = fields.Text(string="Corrective Action",
                                    help="What changes in our procedures so that it does not happen again.")
    outcome = fields.Text(string="Outcome Told to the Customer")
    customer_informed = fields.Boolean(string="Customer Informed", tracking=True, copy=False,
                                       help="The customer was told the outcome (信息反馈).")
    first_response_date = fields.Datetime(string="First Response", readonly=True, copy=False)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    first_response_hours = fields.Float(
        string="Hours to First Response", compute='_compute_hours', store=True, aggregator='avg')
    resolution_hours = fields.Float(
        string="Hours to Resolution", compute='_compute_hours', store=True, aggregator='avg')

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('partner_id', 'company_id')
    def _compute_customer_tier(self):
        for complaint in self:
            partner = complaint.partner_id.with_company(complaint.company_id).sudo()
            complaint.customer_tier = partner.customer_tier if partner else False

    @api.depends('category_id', 'category_id.department_id', 'category_id.kind')
    def _compute_department_id(self):
        defaults = {
            'production': self.env.ref('custmgmt_addon.department_production', raise_if_not_found=False),
            'sales': self.env.ref('custmgmt_addon.department_sales', raise_if_not_found=False),
        }
        for complaint in self:
            category = complaint.category_id
            routed = complaint_rules.route(category.kind, category.department_id)
            complaint.department_id = defaults.get(routed) if isinstance(routed, str) else routed

    @api.depends('department_id', 'partner_id')
    def _compute_user_id(self):
        sales = self.env.ref('custmgmt_addon.department_sales', raise_if_not_found=False)
        for complaint in self:
            salesperson = complaint.partner_id.commercial_partner_id.user_id
            complaint.user_id = complaint_rules.responsible(
                complaint.department_id == sales, salesperson, complaint.department_id.manager_id)

    @api.depends('date_received', 'customer_tier', 'company_id')
    def _compute_deadline(self):
        for complaint in self:
            company = complaint.company_id or self.env.company
            days = complaint_rules.deadline_days(complaint.customer_tier, {
                'a': company.custmgmt_complaint_days_a,
                'b': company.custmgmt_complaint_days_b,
                'c': company.custmgmt_complaint_days_c,
            })
            complaint.deadline = complaint.date_received and complaint.date_received + timedelta(days=days)

    @api.depends('state', 'deadline')
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_overdue = complaint.state in OPEN_STATES and bool(complaint.deadline) \
                and complaint.deadline < now

    def _search_is_overdue(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_("Overdue complaints can only be searched as overdue or not."))
        overdue = ['&', ('state', 'in', OPEN_STATES), ('deadline', '<', fields.Datetime.now())]
        return overdue if (operator == '=') == value else ['!', *overdue]

    @api.depends('date_received', 'first_response_date', 'resolved_date')
    def _compute_hours(self):
        for complaint in self:
            complaint.first_response_hours = complaint_rules.hours_between(
                complaint.date_received, complaint.first_response_date)
            complaint.resolution_hours = complaint_rules.hours_between(
                complaint.date_received, complaint.resolved_date)

    # ------------------------------------------------------------
    # ONCHANGE
    # ------------------------------------------------------------

    @api.onchange('contact_id')
    def _onchange_contact_id(self):
        if self.contact_id:
            self.partner_id = self.contact_id.commercial_partner_id

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get('name', '/') == '/':
                company = self.env['res.company'].browse(vals.get('company_id')) or self.env.company
                vals['name'] = self.env['ir.sequence'].with_company(company).next_by_code('custmgmt.complaint') or '/'
            if vals.get('partner_id'):
                partner = self.env['res.partner'].browse(vals['partner_id'])
                vals['partner_id'] = partner.commercial_partner_id.id
        complaints = super().create(vals_list)
        complaints._custmgmt_sync_activity()
        return complaints

    def write(self, vals):
        if {'department_id', 'user_id'} & vals.keys() and not self.env.su \
                and not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            for complaint in self:
                if vals.get('department_id', complaint.department_id.id) != complaint.department_id.id \
                        or vals.get('user_id', complaint.user_id.id) != complaint.user_id.id:
                    raise AccessError(_("Only customer management Managers can reassign a complaint."))
        if 'state' in vals:
            self._custmgmt_check_stage(vals)
            vals = dict(vals, **self._custmgmt_stage_dates(vals['state']))
        res = super().write(vals)
        if {'user_id', 'deadline', 'department_id', 'category_id', 'partner_id', 'state',
                'date_received', 'subject'} & vals.keys():
            self._custmgmt_sync_activity()
        return res

    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = " – ".join(filter(None, [complaint.name, complaint.subject]))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new(self):
        if any(complaint.state != 'new' for complaint in self):
            raise UserError(_("A complaint that has been worked on is kept: cancel or archive it instead."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_start(self):
        self.write({'state': 'in_progress'})

    def action_resolve(self):
        self.write({'state': 'resolved'})

    def action_close(self):
        self.write({'state': 'closed'})

    def action_cancel(self):
        self.write({'state': 'cancelled'})

    def action_reopen(self):
        self.write({'state': 'new' if self.state == 'cancelled' else 'in_progress'})

    # ------------------------------------------------------------
    # MAIL
    # ------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the complaints alias: a complaint for the sender's customer,
        or one flagged for triage when the sender is unknown."""
        email = email_normalize(msg_dict.get('email_from') or '')
        sender = self.env['res.partner']
        if email:
            sender = self.env['res.partner'].search([('email_normalized', '=', email)], limit=1)
        values = {
            'name': '/',  # the sequence, not the mail's subject
            'subject': msg_dict.get('subject') or _("Complaint by email"),
            'email_from': msg_dict.get('email_from'),
            'description': msg_dict.get('body'),
            'needs_triage': not sender,
        }
        if sender:
            values.update(partner_id=sender.commercial_partner_id.id, contact_id=sender.id,
                          company_id=(sender.company_id or self.env.company).id)
        values.update(custom_values or {})
        return super().message_new(msg_dict, custom_values=values)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for complaint in self:
            if complaint.contact_id:
                complaint._message_add_suggested_recipient(recipients, partner=complaint.contact_id,
                                                           reason=_("Customer contact"))
        return recipients

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_check_stage(self, vals):
        messages = {
            'transition': _("A complaint cannot go from %(from)s to %(to)s."),
            'root_cause': _("Record the root cause before resolving complaint %(name)s."),
            'corrective_action': _("Record the corrective action before resolving complaint %(name)s."),
            'informed': _("Tell the customer the outcome (and tick Customer Informed) before closing complaint %(name)s."),
        }
        states = dict(self._fields['state']._description_selection(self.env))
        for complaint in self:
            problems = complaint_rules.stage_problems(
                complaint.state, vals['state'],
                vals.get('root_cause', complaint.root_cause),
                vals.get('corrective_action', complaint.corrective_action),
                vals.get('customer_informed', complaint.customer_informed))
            if problems:
                raise UserError("\n".join(messages[code] % {
                    'name': complaint.name, 'from': states[complaint.state], 'to': states[vals['state']],
                } for code in problems))

    def _custmgmt_stage_dates(self, state):
        """Stamp the first response when a complaint leaves 'new', and the
        resolution and closing times; return the values for the state write."""
        now = fields.Datetime.now()
        if state != 'new':
            self.filtered(lambda c: not c.first_response_date).write({'first_response_date': now})
        if state == 'resolved':
            return {'resolved_date': now}
        if state == 'closed':
            return {'closed_date': now}
        return {}

    def _custmgmt_sync_activity(self):
        """One open 'answer the complaint' activity per complaint, on its
        responsible user and deadline: moved when they change, done when the
        complaint is resolved, dropped when it is cancelled."""
        activity_type = self.env.ref(ACTIVITY_TYPE)
        for complaint in self:
            activity = complaint.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)[:1]
            if complaint.state not in OPEN_STATES or not complaint.user_id:
                if activity and complaint.state in ('resolved', 'closed'):
                    activity.action_feedback(feedback=_("Complaint resolved."))
                elif activity:
                    activity.unlink()
                continue
            deadline = fields.Date.to_date(complaint.deadline) if complaint.deadline else fields.Date.today()
            summary = _("Answer complaint %(name)s", name=complaint.name)
            if activity:
                if (activity.user_id, activity.date_deadline) != (complaint.user_id, deadline):
                    activity.write({'user_id': complaint.user_id.id, 'date_deadline': deadline})
            else:
                complaint.activity_schedule(ACTIVITY_TYPE, date_deadline=deadline, summary=summary,
                                            user_id=complaint.user_id.id)
