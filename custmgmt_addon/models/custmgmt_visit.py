import logging
from collections import namedtuple
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, split_every

from ..rules import cadence, guards
from .custmgmt_job_runner import CRON_VISITS
from .res_partner import TIER_SELECTION

_logger = logging.getLogger(__name__)

VISIT_BATCH = 1000
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
ACTIVITY_TYPES = {
    'routine': 'custmgmt_addon.mail_activity_type_visit',
    'top_management': 'custmgmt_addon.mail_activity_type_top_visit',
}

# what the visit schedule needs to know of one customer in one company
CadenceRow = namedtuple(
    'CadenceRow', 'partner_id tier user_id leader_id weekday visit_time opt_out '
                  'last_routine last_top planned_routine planned_top visit_count since')


class CustmgmtVisit(models.Model):
    """A visit to a customer (客户拜访) and its report: what it was for, what was
    learnt (seed 000 §五.3–4), what was collected and what comes next."""
    _name = 'custmgmt.visit'
    _description = "Customer Visit"
    _inherit = ['mail.thread', 'mail.activity.mixin', 'custmgmt.month.label.mixin']
    _order = 'date desc, route_sequence, visit_time, id'
    _check_company_auto = True
    _rec_names_search = ['partner_id']

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain=[('parent_id', '=', False)])
    company_id = fields.Many2one('res.company', required=True, index=True, default=lambda self: self.env.company)
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
    customer_tier = fields.Selection(
        TIER_SELECTION, compute='_compute_customer_tier', store=True,
        help="The customer's tier in this company when the visit was recorded.")
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

    @api.depends('partner_id', 'company_id')
    def _compute_customer_tier(self):
        for visit in self:
            partner = visit.partner_id.with_company(visit.company_id).sudo()
            visit.customer_tier = partner.customer_tier if partner else False

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

    # ------------------------------------------------------------
    # BUSINESS METHODS: cadence
    # ------------------------------------------------------------

    @api.model
    def _custmgmt_cadence_rows(self, company, partner_ids=None):
        """One grouped query: the cadence data of the customers tiered in
        ``company`` (or of ``partner_ids``, tiered or not), with their last
        done and their planned visits there. Returns ``CadenceRow`` tuples."""
        key = str(company.id)
        self.env['res.partner'].flush_model(
            ['customer_tier', 'user_id', 'active', 'parent_id', 'custmgmt_visit_weekday',
             'custmgmt_visit_time', 'custmgmt_visit_opt_out'])
        self.env['res.users'].flush_model(['sale_team_id'])
        self.env['crm.team'].flush_model(['user_id', 'active'])
        self.flush_model(['partner_id', 'company_id', 'date', 'state', 'kind'])
        self.env['custmgmt.tier.history'].flush_model(['partner_id', 'company_id', 'date', 'new_tier'])
        if partner_ids is None:
            where = SQL("partner.customer_tier ->> %s IS NOT NULL AND partner.active AND partner.parent_id IS NULL",
                        key)
            visit_where = SQL("TRUE")
        else:
            ids = list(partner_ids)
            where = SQL("partner.id = ANY(%s)", ids)
            visit_where = SQL("partner_id = ANY(%s)", ids)
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id,
                   partner.customer_tier ->> %(key)s,
                   partner.user_id,
                   team.user_id,
                   partner.custmgmt_visit_weekday,
                   partner.custmgmt_visit_time,
                   COALESCE(partner.custmgmt_visit_opt_out, FALSE),
                   visits.last_routine,
                   visits.last_top,
                   COALESCE(visits.planned_routine, FALSE),
                   COALESCE(visits.planned_top, FALSE),
                   COALESCE(visits.visit_count, 0),
                   tiered.since
              FROM res_partner partner
         LEFT JOIN res_users salesperson ON salesperson.id = partner.user_id
         LEFT JOIN crm_team team ON team.id = salesperson.sale_team_id AND team.active
         LEFT JOIN (
                SELECT partner_id,
                       MAX(date) FILTER (WHERE state = 'done' AND kind != 'top_management') AS last_routine,
                       MAX(date) FILTER (WHERE state = 'done' AND kind = 'top_management') AS last_top,
                       BOOL_OR(state = 'planned' AND kind = 'routine') AS planned_routine,
                       BOOL_OR(state = 'planned' AND kind = 'top_management') AS planned_top,
                       COUNT(*) AS visit_count
                  FROM custmgmt_visit
                 WHERE company_id = %(company)s AND %(visit_where)s
              GROUP BY partner_id
              ) visits ON visits.partner_id = partner.id
         LEFT JOIN (
                SELECT partner_id, MIN(date) AS since
                  FROM custmgmt_tier_history
                 WHERE company_id = %(company)s AND new_tier IS NOT NULL AND %(visit_where)s
              GROUP BY partner_id
              ) tiered ON tiered.partner_id = partner.id
             WHERE %(where)s
          ORDER BY partner.id
            """,
            key=key, company=company.id, where=where, visit_where=visit_where,
        ))
        return [
            CadenceRow(row[0], row[1], row[2], row[3], int(row[4]) if row[4] else None, row[5] or 0.0, *row[6:])
            for row in rows
        ]

    @api.model
    def _custmgmt_due_dates(self, row, policy, today):
        """``(next routine visit due, next top-management visit due)`` of one
        customer; None where there is no cadence (no tier, opted out, not A)."""
        if not row.tier or row.opt_out:
            return None, None
        due = cadence.next_due(row.last_routine, policy['intervals'].get(row.tier), today, row.weekday, row.since)
        top_due = None
        if row.tier == 'a':
            top_due = cadence.next_due(row.last_top, policy['top_interval'], today, row.weekday, row.since)
        return due, top_due

    @api.model
    def _custmgmt_overdue_partner_ids(self, company, today):
        """Ids of the customers of ``company`` whose routine or top-management
        visit is overdue (the cadence rule applied to one grouped query)."""
        policy = company._custmgmt_service_policy()
        return [
            row.partner_id for row in self._custmgmt_cadence_rows(company)
            if any(cadence.is_overdue(due, today) for due in self._custmgmt_due_dates(row, policy, today))
        ]

    @api.model
    def _custmgmt_visits_to_plan(self, company, today):
        """Values of the visits the schedule must plan in ``company`` on ``today``."""
        policy = company._custmgmt_service_policy()
        company_user_ids = set(company._custmgmt_user_ids())  # visits of a company go to its users only
        vals_list = []
        for row in self._custmgmt_cadence_rows(company):
            due, top_due = self._custmgmt_due_dates(row, policy, today)
            plans = []
            if cadence.must_plan(due, today, already_planned=row.planned_routine):
                plans.append(('routine', due, cadence.visitors(
                    row.tier, row.user_id, row.leader_id, policy['leader_tiers'])))
            if cadence.must_plan(top_due, today, already_planned=row.planned_top):
                plans.append(('top_management', top_due, cadence.top_visitors(
                    policy['top_ids'], row.leader_id, row.user_id)))
            for kind, day, visitor_ids in plans:
                visitor_ids = [uid for uid in visitor_ids if uid in company_user_ids]
                if not visitor_ids:
                    _logger.info("Visit schedule: customer %s has nobody to visit it.", row.partner_id)
                    continue
                vals_list.append({
                    'partner_id': row.partner_id,
                    'company_id': company.id,
                    'date': cadence.planned_date(day, today, row.weekday),
                    'visit_time': row.visit_time,
                    'kind': kind,
                    'user_id': visitor_ids[0],
                    'visitor_ids': [Command.set(visitor_ids)],
                    'is_scheduled': True,
                })
        return vals_list

    @api.model
    def _custmgmt_plan_visits(self, company, today=None, auto_commit=False):
        """Plan the visits due within the horizon in ``company``: one planned
        visit per customer and kind, and an activity per visitor on it.

        Idempotent: a customer with a planned visit of that kind gets no other,
        and one planning runs at a time (the daily action's row lock: "Plan
        Visits Now" during the daily run is refused). Visits and activities are
        created in batches (committed one by one with ``auto_commit``), without
        a message or an e-mail per visit or activity: the visitors find them in
        their activities. Returns the number of visits planned."""
        self.env['custmgmt.job.runner']._lock(CRON_VISITS)
        company = company.sudo()
        today = today or fields.Date.context_today(company)
        Visit = self.sudo().with_company(company).with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True,
            mail_auto_subscribe_no_notify=True)
        Activity = self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True)
        types = {kind: self.env.ref(xmlid) for kind, xmlid in ACTIVITY_TYPES.items()}
        model_id = self.env['ir.model']._get_id(self._name)
        vals_list = self._custmgmt_visits_to_plan(company, today)
        done = 0
        for chunk in split_every(VISIT_BATCH, vals_list, list):
            visits = Visit.create(chunk)
            Activity.create([{
                'res_model_id': model_id,
                'res_id': visit.id,
                'user_id': user.id,
                'activity_type_id': types.get(visit.kind, types['routine']).id,
                'date_deadline': visit.date,
            } for visit in visits for user in visit.visitor_ids])
            done += len(visits)
            if auto_commit:  # only the cron worker's calls: a killed run resumes from here
                self.env.cr.commit()
                self.env.invalidate_all()
            self.env['ir.cron']._notify_progress(done=done, remaining=len(vals_list) - done)
        return done

    @api.model
    def _cron_plan_visits(self, today=None):
        """Scheduled action: plan the visits due within the horizon in every company."""
        return self.env['custmgmt.job.runner']._run_each_company(CRON_VISITS, self._custmgmt_plan_visits, today=today)
