from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from ..rules import complaints as complaint_rules
from ..rules import guards

OPEN_STATES = ('new', 'in_progress')
# the KPI: stamped by the complaint's stages, never typed (date_received only at creation)
KPI_DATES = ('first_response_date', 'resolved_date', 'closed_date')
ACTIVITY_TYPE = 'custmgmt_addon.mail_activity_type_complaint'


class CustmgmtComplaint(models.Model):
    """A customer complaint, routed to the department that answers for it:
    production for quality (product, packaging), sales for any other."""
    _name = 'custmgmt.complaint'
    _description = "Customer Complaint"
    _inherit = ['mail.thread', 'mail.activity.mixin', 'custmgmt.customer.mixin']
    _order = 'priority desc, date_received desc, id desc'
    _check_company_auto = True
    _rec_names_search = ['name', 'subject', 'partner_id']

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default='/')
    subject = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        'res.partner', string="Customer", tracking=True, index=True, check_company=True,
        domain=[('parent_id', '=', False)])
    contact_id = fields.Many2one('res.partner', check_company=True,
                                 domain="[('commercial_partner_id', '=', partner_id)]")
    email_from = fields.Char(string="Email")
    needs_triage = fields.Boolean(
        string="To Triage", tracking=True,
        help="Received by email from an address that matches no customer.")
    category_id = fields.Many2one('custmgmt.complaint.category', tracking=True)
    kind = fields.Selection(related='category_id.kind', store=True, string="Complaint Type")
    description = fields.Html()
    sale_order_id = fields.Many2one('sale.order', string="Sales Order", check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    invoice_id = fields.Many2one('account.move', check_company=True,
                                 domain="[('move_type', '=', 'out_invoice'), ('partner_id', 'child_of', partner_id)]")
    product_id = fields.Many2one('product.product', check_company=True)
    priority = fields.Selection([('0', 'Normal'), ('1', 'High'), ('2', 'Urgent')], default='0')
    date_received = fields.Datetime(string="Received", required=True, default=fields.Datetime.now)
    department_id = fields.Many2one(
        'custmgmt.department', compute='_compute_department_id', store=True,
        readonly=False, tracking=True, index=True, check_company=True)
    user_id = fields.Many2one(
        'res.users', string="Responsible", compute='_compute_user_id', store=True, readonly=False,
        tracking=True, index=True)
    deadline = fields.Datetime(compute='_compute_deadline', store=True, tracking=True)
    is_overdue = fields.Boolean(string="Overdue", compute='_compute_is_overdue', search='_search_is_overdue')
    state = fields.Selection(
        [('new', 'New'), ('in_progress', 'In Progress'), ('resolved', 'Resolved'),
         ('closed', 'Closed'), ('cancelled', 'Cancelled')],
        default='new', required=True, tracking=True, copy=False,
        group_expand=True)  # the kanban shows every stage, empty ones too
    root_cause = fields.Text()
    corrective_action = fields.Text(
        help="What changes in our procedures so that it does not happen again.")
    outcome = fields.Text(string="Outcome Told to the Customer")
    customer_informed = fields.Boolean(tracking=True, copy=False,
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
    # CONSTRAINTS AND ONCHANGE
    # ------------------------------------------------------------

    @api.constrains('state', 'root_cause', 'corrective_action', 'customer_informed')
    def _check_resolution_kept(self):
        """What a resolved or closed complaint says stays said, whatever the path."""
        for complaint in self.filtered(lambda c: c.state in ('resolved', 'closed')):
            if not (complaint.root_cause or '').strip() or not (complaint.corrective_action or '').strip():
                raise ValidationError(_("Complaint %(name)s is resolved: its root cause and corrective action "
                                        "cannot be emptied.", name=complaint.name))
            if complaint.state == 'closed' and not complaint.customer_informed:
                raise ValidationError(_("Complaint %(name)s is closed: the customer was informed.",
                                        name=complaint.name))

    @api.constrains('date_received')
    def _check_date_received(self):
        now = fields.Datetime.now()
        for complaint in self:
            if not guards.not_in_future(complaint.date_received, now.date()) or complaint.date_received > now:
                raise ValidationError(_("Complaint %(name)s is received at a date from 1900 up to now.",
                                        name=complaint.name))

    @api.onchange('contact_id')
    def _onchange_contact_id(self):
        if self.contact_id:
            self.partner_id = self.contact_id.commercial_partner_id

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        default_state = self.env.context.get('default_state') or 'new'
        for vals in vals_list:
            if (vals.get('state') or default_state) != 'new':
                raise UserError(_("A complaint is created as new; it then moves through its stages."))
            if any(vals.get(fname) for fname in KPI_DATES):
                raise UserError(_("The response and resolution times of a complaint are stamped by its "
                                  "stages; they cannot be typed."))
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
        manager = self.env.su or self.env.user.has_group('custmgmt_addon.group_custmgmt_manager')
        if {'department_id', 'user_id'} & vals.keys() and not manager:
            for complaint in self:
                if vals.get('department_id', complaint.department_id.id) != complaint.department_id.id \
                        or vals.get('user_id', complaint.user_id.id) != complaint.user_id.id:
                    raise AccessError(_("Only customer management Managers can reassign a complaint."))
        if 'category_id' in vals and not manager:
            # a new category routes the complaint anew: a reassignment once it left 'new'
            if any(c.state != 'new' and c.category_id.id != (vals['category_id'] or False) for c in self):
                raise AccessError(_("Only customer management Managers can change the category (and so the "
                                    "department) of a complaint that is being worked on."))
        if 'company_id' in vals and not manager \
                and any(c.company_id.id != vals['company_id'] for c in self):
            raise AccessError(_("Only customer management Managers can move a complaint to another company."))
        if not self.env.context.get('custmgmt_stage_stamp'):
            typed = [fname for fname in KPI_DATES if fname in vals]
            if 'date_received' in vals and any(c.date_received != fields.Datetime.to_datetime(vals['date_received'])
                                               for c in self):
                typed.append('date_received')
            if typed:
                raise UserError(_("The received, response and resolution times of a complaint are its KPI: "
                                  "they cannot be changed."))
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
        attachment_sizes = [len(attachment.content or b'') if hasattr(attachment, 'content')
                            else len(attachment[1] or b'') for attachment in msg_dict.get('attachments') or []]
        if guards.mail_too_large(msg_dict.get('body'), attachment_sizes):
            raise UserError(_("This mail to the complaints address is too large (more than %(mb)s MB of "
                              "attachments or %(chars)s characters of text); send the documents separately.",
                              mb=guards.MAX_MAIL_ATTACHMENT_BYTES // (1024 * 1024),
                              chars=guards.MAX_MAIL_BODY_CHARS))
        # the sender as the mail gateway resolved it from the address (message_route)
        author = self.env['res.partner'].browse(msg_dict.get('author_id') or [])
        sender = self.env['res.partner']
        if author:
            # an address shared by several customers says nothing of which one
            # complains: the complaint goes to triage
            email = author.email_normalized or email_normalize(msg_dict.get('email_from') or '')
            sharing = self.env['res.partner'].search([('email_normalized', '=', email)]) if email else author
            if guards.owners_of_shared_address((sharing | author).commercial_partner_id.ids):
                sender = author
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
            self.filtered(lambda c: not c.first_response_date).with_context(custmgmt_stage_stamp=True).write(
                {'first_response_date': now})
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
