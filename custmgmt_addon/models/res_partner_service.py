from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import cadence as cadence_rules
from .res_partner import ARCHIVE_GROUP


class ResPartner(models.Model):
    """Service by tier (分级服务, seed 000 §五, seed 004): the customer's visit
    weekday, time and route order, its visit cadence (``rules.cadence`` through
    ``custmgmt.visit``) and its satisfaction from the opinion surveys."""
    _inherit = 'res.partner'


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
    @api.depends('custmgmt_tier', 'custmgmt_visit_weekday', 'custmgmt_visit_opt_out', 'commercial_partner_id')
    def _compute_custmgmt_visits(self):
        company = self.env.company
        Planner = self.env['custmgmt.visit.planner']
        today = fields.Date.context_today(self)
        policy = company._custmgmt_service_policy()
        commercial_ids = {pid for pid in self.commercial_partner_id._origin.ids if pid}
        rows = {row.partner_id: row for row in Planner._custmgmt_cadence_rows(company, commercial_ids)}
        for partner in self:
            commercial = partner.commercial_partner_id
            row = rows.get(commercial._origin.id)
            if row:  # the weekday and opt-out as edited, the rest as stored
                weekday = commercial.custmgmt_visit_weekday
                row = row._replace(weekday=int(weekday) if weekday else None,
                                   opt_out=commercial.custmgmt_visit_opt_out)
            due, top_due = Planner._custmgmt_due_dates(row, policy, today) if row else (None, None)
            last_dates = [day for day in (row and row.last_routine, row and row.last_top) if day]
            partner.custmgmt_last_visit_date = max(last_dates) if last_dates else False
            partner.custmgmt_next_visit_date = due or False
            partner.custmgmt_next_top_visit_date = top_due or False
            partner.custmgmt_visit_overdue = any(day and day < today for day in (due, top_due))
            partner.custmgmt_visit_count = row.visit_count if row else 0

    def _search_custmgmt_visit_overdue(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_("Overdue visits can only be searched as overdue or not."))
        ids = self.env['custmgmt.visit.planner']._custmgmt_overdue_partner_ids(
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
        customer = self.commercial_partner_id
        return self._custmgmt_open_related('custmgmt_addon.custmgmt_visit_action',
                                           [('partner_id', '=', customer.id)], default_partner=customer)

    def action_custmgmt_record_survey(self):
        """Fill in the customer opinion form for this customer (on the phone)."""
        self.ensure_one()
        return self.env['survey.user_input']._custmgmt_start_for(self)

    def action_custmgmt_open_survey_answers(self):
        return self._custmgmt_open_related(
            'custmgmt_addon.custmgmt_survey_answer_action', [('custmgmt_partner_id', '=', self.commercial_partner_id.id)])

    @api.constrains('custmgmt_visit_time')
    def _check_custmgmt_visit_time(self):
        for partner in self:
            if not cadence_rules.valid_time(partner.custmgmt_visit_time):
                raise ValidationError(_("The visit time is an hour of the day, from 00:00 to 23:59."))
