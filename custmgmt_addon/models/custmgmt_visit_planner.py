import logging
from collections import namedtuple

from odoo import Command, api, fields, models
from odoo.tools import SQL, split_every

from ..rules import cadence
from .custmgmt_job_runner import CRON_VISITS

_logger = logging.getLogger(__name__)

VISIT_BATCH = 1000
ACTIVITY_TYPES = {
    'routine': 'custmgmt_addon.mail_activity_type_visit',
    'top_management': 'custmgmt_addon.mail_activity_type_top_visit',
}

# what the visit schedule needs to know of one customer in one company
CadenceRow = namedtuple(
    'CadenceRow', 'partner_id tier user_id leader_id weekday visit_time opt_out '
                  'last_routine last_top planned_routine planned_top visit_count since')


class CustmgmtVisitPlanner(models.AbstractModel):
    """The visit schedule (seed 004): the cadence of every customer of a
    company from one grouped query, the due dates by ``rules.cadence``, the
    visits due within the horizon planned in batches with an activity per
    visitor. Next to the survey planner (``custmgmt.survey.plan``)."""
    _name = 'custmgmt.visit.planner'
    _description = "Customer Management: visit planner"


    @api.model
    def _custmgmt_cadence_rows(self, company, partner_ids=None):
        """One grouped query: the cadence data of the customers tiered in
        ``company`` (or of ``partner_ids``, tiered or not), with their last
        done and their planned visits there. Returns ``CadenceRow`` tuples."""
        key = str(company.id)
        self.env['res.partner'].flush_model(
            ['custmgmt_tier', 'user_id', 'active', 'parent_id', 'custmgmt_visit_weekday',
             'custmgmt_visit_time', 'custmgmt_visit_opt_out'])
        self.env['res.users'].flush_model(['sale_team_id'])
        self.env['crm.team'].flush_model(['user_id', 'active'])
        self.env['custmgmt.visit'].flush_model(['partner_id', 'company_id', 'date', 'state', 'kind'])
        self.env['custmgmt.tier.history'].flush_model(['partner_id', 'company_id', 'date', 'new_tier'])
        if partner_ids is None:
            where = SQL("partner.custmgmt_tier ->> %s IS NOT NULL AND partner.active AND partner.parent_id IS NULL",
                        key)
            visit_where = SQL("TRUE")
        else:
            ids = list(partner_ids)
            where = SQL("partner.id = ANY(%s)", ids)
            visit_where = SQL("partner_id = ANY(%s)", ids)
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id,
                   partner.custmgmt_tier ->> %(key)s,
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
        Visit = self.env['custmgmt.visit'].sudo().with_company(company).with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True,
            mail_auto_subscribe_no_notify=True)
        Activity = self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True)
        types = {kind: self.env.ref(xmlid) for kind, xmlid in ACTIVITY_TYPES.items()}
        model_id = self.env['ir.model']._get_id('custmgmt.visit')
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
            self.env['custmgmt.job.runner']._batch_done(done, len(vals_list) - done, auto_commit)
        return done

    @api.model
    def _cron_plan_visits(self, today=None):
        """Scheduled action: plan the visits due within the horizon in every company."""
        return self.env['custmgmt.job.runner']._run_each_company(CRON_VISITS, self._custmgmt_plan_visits, today=today)
