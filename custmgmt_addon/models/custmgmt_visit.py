from datetime import datetime, time, timedelta

import pytz

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..rules import cadence, guards

# what a done visit's report records (one of them at least)
REPORT_FIELDS = ('info_funds', 'info_operations', 'info_stock', 'info_material_stock', 'info_sales',
                 'info_consumption', 'info_praise', 'info_criticism', 'info_hopes', 'info_complaints',
                 'info_market', 'next_steps')
KINDS = [
    ('routine', 'Routine visit'),
    ('top_management', 'Top-management visit'),
    ('collection', 'Collection visit'),
    ('complaint', 'Complaint follow-up'),
]

class CustmgmtVisit(models.Model):
    """A visit to a customer (客户拜访) and its report: what it was for, what was
    learnt (seed 000 §五.3–4), what was collected and what comes next."""
    _name = 'custmgmt.visit'
    _description = "Customer Visit"
    _inherit = ['mail.thread', 'mail.activity.mixin', 'custmgmt.customer.mixin', 'custmgmt.month.label.mixin']
    _order = 'date desc, route_sequence, visit_time, id'
    _check_company_auto = True
    _rec_names_search = ['partner_id']

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain=[('parent_id', '=', False)])
    date = fields.Date(required=True, index=True, tracking=True, default=fields.Date.context_today)
    visit_time = fields.Float(string="Time", help="Time of the visit, in hours (the customer's preferred time when planned).")
    # the visit's date at its time in the responsible's timezone, for the calendar (moving it there
    # moves the date and the time)
    date_start = fields.Datetime(
        string="Start", compute='_compute_date_start', inverse='_inverse_date_start', store=True,
        help="Start of the visit: its date at its time (9:00 when none) in the responsible's timezone.")
    duration = fields.Float(default=1.0, help="Expected length of the visit, in hours.")
    user_id = fields.Many2one(
        'res.users', string="Responsible", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, domain=[('share', '=', False)])
    visitor_ids = fields.Many2many(
        'res.users', 'custmgmt_visit_res_users_rel', 'visit_id', 'user_id', string="Visitors",
        default=lambda self: self.env.user, domain=[('share', '=', False)])
    contact_ids = fields.Many2many(
        'res.partner', 'custmgmt_visit_contact_rel', 'visit_id', 'partner_id', string="People Met",
        domain="[('commercial_partner_id', '=', partner_id)]")
    kind = fields.Selection(KINDS, string="Visit Kind", required=True, default='routine', tracking=True)
    purpose_ids = fields.Many2many('custmgmt.visit.purpose', string="Purposes")
    state = fields.Selection(
        [('planned', 'Planned'), ('done', 'Done'), ('cancelled', 'Cancelled')],
        required=True, default='planned', tracking=True, copy=False)
    is_scheduled = fields.Boolean(
        string="Planned by Schedule", readonly=True, copy=False,
        help="Planned by the visit schedule from the customer's tier cadence.")
    route_sequence = fields.Integer(
        string="Route Order", related='partner_id.custmgmt_route_sequence', store=True,
        help="Order of the customer on its salesperson's route (路序).")
    event_id = fields.Many2one('calendar.event', string="Meeting", copy=False, readonly=True)
    currency_id = fields.Many2one(related='company_id.currency_id')
    amount_collected = fields.Monetary(currency_field='currency_id', tracking=True)
    # information gathered (信息收集)
    info_funds = fields.Text(string="Funds", help="The customer's financial situation.")
    info_operations = fields.Text(string="Operations", help="How the customer's business is going.")
    info_stock = fields.Text(string="Stock", help="The customer's stock of our products.")
    info_material_stock = fields.Text(string="Raw-Material Stock")
    info_sales = fields.Text(string="Sales", help="The customer's own sales.")
    info_consumption = fields.Text(string="Consumption", help="The customer's consumption of raw materials.")
    info_praise = fields.Text(string="Praise")
    info_criticism = fields.Text(string="Criticism")
    info_hopes = fields.Text(string="Hopes")
    info_complaints = fields.Text(string="Complaints")
    info_market = fields.Text(string="Market and Competitors", help="Market moves, competitors' moves and policies.")
    next_steps = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('date', 'visit_time', 'user_id.tz')
    def _compute_date_start(self):
        for visit in self:
            visit.date_start = visit.date and visit._custmgmt_meeting_start()

    def _inverse_date_start(self):
        for visit in self.filtered('date_start'):
            local = pytz.utc.localize(visit.date_start).astimezone(visit._custmgmt_tz())
            visit.write({'date': local.date(), 'visit_time': local.hour + local.minute / 60.0})

    @api.depends('partner_id', 'date', 'kind')
    def _compute_display_name(self):
        kinds = dict(self._fields['kind']._description_selection(self.env))
        for visit in self:
            visit.display_name = _("%(customer)s, %(kind)s on %(date)s",
                                   customer=visit.partner_id.display_name or _("New visit"),
                                   kind=kinds.get(visit.kind, ''), date=format_date(self.env, visit.date))

    # ------------------------------------------------------------
    # ONCHANGE
    # ------------------------------------------------------------

    @api.onchange('partner_id')
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner and not self.visit_time:
            self.visit_time = partner.custmgmt_visit_time

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains('visit_time')
    def _check_visit_time(self):
        for visit in self:
            if not cadence.valid_time(visit.visit_time):
                raise ValidationError(_("The visit time is an hour of the day, from 00:00 to 23:59."))

    @api.constrains('date')
    def _check_date(self):
        today = fields.Date.context_today(self)
        for visit in self:
            if not guards.visit_date_in_range(visit.date, today):
                raise ValidationError(_(
                    "A visit is dated from 1900 up to %(years)s years ahead, not %(date)s.",
                    years=guards.MAX_VISIT_YEARS_AHEAD, date=visit.date))

    @api.constrains('duration')
    def _check_duration(self):
        for visit in self:
            if not 0 <= visit.duration <= 24:
                raise ValidationError(_("A visit lasts from 0 to 24 hours."))

    @api.constrains('amount_collected')
    def _check_amount_collected(self):
        for visit in self:
            if not guards.amount_valid(visit.amount_collected):
                raise ValidationError(_("The amount collected on a visit cannot be negative."))

    @api.constrains('state', *REPORT_FIELDS, 'amount_collected')
    def _check_done_has_report(self):
        for visit in self.filtered(lambda v: v.state == 'done'):
            if not guards.visit_report_recorded([visit[fname] for fname in REPORT_FIELDS], visit.amount_collected):
                raise ValidationError(_(
                    "Record what the visit to %(customer)s brought (information gathered, next steps or an "
                    "amount collected) before marking it done.", customer=visit.partner_id.display_name))

    @api.constrains('company_id', 'user_id', 'visitor_ids')
    def _check_visitors_company(self):
        for visit in self:
            outsiders = (visit.user_id | visit.visitor_ids).filtered(
                lambda user: visit.company_id not in user.company_ids)
            if outsiders:
                raise ValidationError(_(
                    "%(users)s cannot visit for %(company)s: they are not users of that company.",
                    users=", ".join(outsiders.mapped('name')), company=visit.company_id.name))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(visit.state == 'done' for visit in self):
            raise UserError(_("A done visit keeps its report: it cannot be deleted."))

    def write(self, vals):
        if vals.get('state') in ('planned', 'cancelled') and any(visit.state == 'done' for visit in self):
            raise UserError(_("A done visit keeps its report: it cannot be cancelled or planned again."))
        if 'date' in vals and any(visit.state == 'done' and visit.date != fields.Date.to_date(vals['date'])
                                  for visit in self):
            raise UserError(_("A done visit keeps its date."))
        res = super().write(vals)
        if {'date', 'visit_time', 'duration'} & vals.keys():
            # a planned visit moved: its activities and its meeting move with it
            planned = self.filtered(lambda visit: visit.state == 'planned')
            if 'date' in vals:
                planned.sudo().activity_ids.write({'date_deadline': vals['date']})
            for visit in planned.filtered('event_id'):
                start = visit._custmgmt_meeting_start()
                visit.event_id.sudo().write({'start': start, 'stop': start + visit._custmgmt_meeting_length()})
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_done(self):
        today = fields.Date.context_today(self)
        planned = self.filtered(lambda v: v.state == 'planned')
        early = planned.filtered(lambda v: v.date > today)  # done earlier than planned: it happened today
        early.write({'state': 'done', 'date': today})
        (planned - early).write({'state': 'done'})
        self.sudo().activity_ids.action_feedback(feedback=_("Visit done."))

    def action_cancel(self):
        self.filtered(lambda v: v.state == 'planned').write({'state': 'cancelled'})
        self.sudo().activity_ids.unlink()
        self.event_id.sudo().write({'active': False})  # out of the visitors' calendars

    def action_plan_again(self):
        self.filtered(lambda v: v.state == 'cancelled').write({'state': 'planned'})

    def _custmgmt_tz(self):
        self.ensure_one()
        return pytz.timezone(self.user_id.tz or self.env.user.tz or 'UTC')

    def _custmgmt_meeting_length(self):
        """The meeting's length: the visit's duration (an hour when none)."""
        self.ensure_one()
        return timedelta(hours=self.duration or 1.0)

    def _custmgmt_meeting_start(self):
        """UTC start of the visit's meeting: its date at its time (9:00 when
        none) in the responsible's timezone."""
        self.ensure_one()
        tz = self._custmgmt_tz()
        start = tz.localize(datetime.combine(self.date, time()) + timedelta(hours=self.visit_time or 9.0))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def action_schedule_meeting(self):
        """Put the visit in the visitors' calendars (a calendar.event linked to
        the visit) and open it."""
        self.ensure_one()
        if not self.event_id:
            start = self._custmgmt_meeting_start()
            self.event_id = self.env['calendar.event'].create({
                'name': self.display_name,
                'start': start,
                'stop': start + self._custmgmt_meeting_length(),
                'user_id': self.user_id.id,
                'partner_ids': [Command.set((self.visitor_ids.partner_id | self.contact_ids).ids)],
                'res_model_id': self.env['ir.model']._get_id(self._name),
                'res_id': self.id,
            })
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'calendar.event',
            'res_id': self.event_id.id,
            'view_mode': 'form',
            'target': 'current',
        }
