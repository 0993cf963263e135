from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every

from ..rules import cadence, guards
from .custmgmt_job_runner import CRON_SURVEYS

PLAN_BATCH = 1000
ACTIVITY_TYPES = {
    'monthly': 'custmgmt_addon.mail_activity_type_phone_survey',
    'quarterly': 'custmgmt_addon.mail_activity_type_quarterly_survey',
}


class CustmgmtSurveyPlan(models.Model):
    """One customer opinion survey to make (seed 000 §五.6): every customer by
    phone each month, by its salesperson; A and B customers each quarter, by
    the sales team leader. One per customer, company, kind and period: the key
    that keeps the schedule from planning a survey twice."""
    _name = 'custmgmt.survey.plan'
    _description = "Customer Survey Plan"
    _inherit = ['custmgmt.customer.mixin']
    _order = 'period_start desc, kind, partner_id'
    _check_company_auto = True
    _rec_name = 'partner_id'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True,
                                 ondelete='cascade', check_company=True)
    company_id = fields.Many2one('res.company', required=True, index=True, ondelete='cascade')
    kind = fields.Selection([('monthly', 'Monthly phone survey'), ('quarterly', 'Quarterly survey')],
                            string="Survey Kind", required=True)
    period_start = fields.Date(string="Period", required=True)
    deadline = fields.Date(required=True)
    user_id = fields.Many2one('res.users', string="Surveyor", index=True)
    activity_id = fields.Many2one('mail.activity', ondelete='set null', readonly=True)
    user_input_id = fields.Many2one('survey.user_input', string="Answer", ondelete='set null', readonly=True)
    satisfaction = fields.Float(related='user_input_id.custmgmt_satisfaction', string="Satisfaction")
    state = fields.Selection([('planned', 'Planned'), ('done', 'Done')], default='planned', required=True,
                             readonly=True)

    _sql_constraints = [
        ('period_uniq', 'unique (partner_id, company_id, kind, period_start)',
         "A customer is surveyed once per period."),
    ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('period_start', 'deadline')
    def _check_dates(self):
        for plan in self:
            if not (guards.date_in_range(plan.period_start) and guards.date_in_range(plan.deadline)) \
                    or plan.deadline < plan.period_start:
                raise ValidationError(_("A survey's period starts from 1900 and ends, at the latest, by 2199, "
                                        "on or after its start."))

    @api.constrains('company_id', 'user_id')
    def _check_surveyor_company(self):
        for plan in self:
            if plan.user_id and plan.company_id not in plan.user_id.company_ids:
                raise ValidationError(_(
                    "%(user)s cannot survey customers for %(company)s: they are not a user of that company.",
                    user=plan.user_id.name, company=plan.company_id.name))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_record_survey(self):
        """Fill in the customer opinion form of this planned survey."""
        self.ensure_one()
        return self.env['survey.user_input'].with_company(self.company_id)._custmgmt_start_for(self.partner_id)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _custmgmt_survey_rows(self, company, periods):
        """One grouped query: the active customers tiered in ``company`` with
        their salesperson, team leader and which of ``periods`` are already
        planned: ``[(partner_id, tier, user_id, leader_id, {(kind, period_start)})]``."""
        key = str(company.id)
        self.env['res.partner'].flush_model(['custmgmt_tier', 'user_id', 'active', 'parent_id'])
        self.env['res.users'].flush_model(['sale_team_id'])
        self.env['crm.team'].flush_model(['user_id', 'active'])
        self.flush_model(['partner_id', 'company_id', 'kind', 'period_start'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id,
                   partner.custmgmt_tier ->> %(key)s,
                   partner.user_id,
                   team.user_id,
                   ARRAY_REMOVE(ARRAY_AGG(plan.kind), NULL),
                   ARRAY_REMOVE(ARRAY_AGG(plan.period_start), NULL)
              FROM res_partner partner
         LEFT JOIN res_users salesperson ON salesperson.id = partner.user_id
         LEFT JOIN crm_team team ON team.id = salesperson.sale_team_id AND team.active
         LEFT JOIN custmgmt_survey_plan plan ON plan.partner_id = partner.id AND plan.company_id = %(company)s
                                            AND plan.period_start = ANY(%(starts)s)
             WHERE partner.custmgmt_tier ->> %(key)s IS NOT NULL AND partner.active AND partner.parent_id IS NULL
          GROUP BY partner.id, team.user_id
          ORDER BY partner.id
            """,
            key=key, company=company.id, starts=sorted({start for _kind, start in periods}),
        ))
        return [(pid, tier, user_id, leader_id, set(zip(kinds, starts)))
                for pid, tier, user_id, leader_id, kinds, starts in rows]

    @api.model
    def _custmgmt_plan_surveys(self, company, today=None, auto_commit=False):
        """Plan the surveys of the periods under way on ``today`` (the month,
        and the quarter) in ``company``: a plan and an activity on the customer
        for its surveyor. Once per customer and period whatever the number of
        runs (and one planning at a time: the daily action's row lock); a
        customer tiered mid-period is planned by the next run. No e-mail per
        activity. Returns the number of surveys planned."""
        self.env['custmgmt.job.runner']._lock(CRON_SURVEYS)
        company = company.sudo()
        today = today or fields.Date.context_today(company)
        periods = cadence.periods_under_way(today)
        company_user_ids = set(company._custmgmt_user_ids())  # surveys of a company go to its users only
        vals_list = []
        for partner_id, tier, user_id, leader_id, planned in self._custmgmt_survey_rows(company, periods):
            for kind, start in periods:
                if not cadence.survey_applies(tier, kind) or (kind, start) in planned:
                    continue
                # monthly: the salesperson; quarterly: the team leader (mid-level manager)
                candidates = [user_id] if kind == 'monthly' else [leader_id, user_id]
                surveyor = next((uid for uid in candidates if uid in company_user_ids), None)
                vals_list.append({
                    'partner_id': partner_id, 'company_id': company.id, 'kind': kind,
                    'period_start': start, 'deadline': cadence.period_end(start, kind),
                    'customer_tier': tier, 'user_id': surveyor,
                })
        Plan = self.sudo().with_company(company)
        # the activity type's name (translated) tells what to do: no summary
        # written in the language of whoever runs the schedule
        Activity = self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True)
        types = {kind: self.env.ref(xmlid) for kind, xmlid in ACTIVITY_TYPES.items()}
        model_id = self.env['ir.model']._get_id('res.partner')
        done = 0
        for chunk in split_every(PLAN_BATCH, vals_list, list):
            # one create per kind: the same person may survey a customer monthly and quarterly,
            # and the activities subscribe their users in one batch per create
            for kind in ACTIVITY_TYPES:
                with_user = [vals for vals in chunk if vals['user_id'] and vals['kind'] == kind]
                activities = Activity.create([{
                    'res_model_id': model_id,
                    'res_id': vals['partner_id'],
                    'user_id': vals['user_id'],
                    'activity_type_id': types[kind].id,
                    'date_deadline': vals['deadline'],
                } for vals in with_user])
                for vals, activity in zip(with_user, activities):
                    vals['activity_id'] = activity.id
            Plan.create(chunk)
            done += len(chunk)
            self.env['custmgmt.job.runner']._batch_done(done, len(vals_list) - done, auto_commit)
        return done

    @api.model
    def _cron_plan_surveys(self, today=None):
        """Scheduled action: plan the monthly and quarterly surveys in every company."""
        return self.env['custmgmt.job.runner']._run_each_company(
            CRON_SURVEYS, self._custmgmt_plan_surveys, today=today)

    def _custmgmt_fulfil(self, answer):
        """Mark the open plans of ``answer``'s customer that it fulfils: those
        of the answering user in the periods under way, or else the monthly one."""
        day = fields.Date.context_today(self, answer.end_datetime or fields.Datetime.now())
        plans = self.sudo().search([
            ('partner_id', '=', answer.custmgmt_partner_id.id),
            ('company_id', '=', answer.custmgmt_company_id.id),
            ('state', '=', 'planned'), ('period_start', '<=', day), ('deadline', '>=', day),
        ])
        # one plan per answer: the answering user's own (monthly first), else the monthly one
        mine = plans.filtered(lambda plan: plan.user_id == answer.create_uid).sorted(
            lambda plan: plan.kind != 'monthly')
        fulfilled = mine[:1] or plans.filtered(lambda plan: plan.kind == 'monthly')[:1]
        if fulfilled:
            fulfilled.write({'state': 'done', 'user_input_id': answer.id})
            # the activity is on the customer, whose chatter every internal user reads: no score
            fulfilled.activity_id.action_feedback(feedback=_("Customer opinion form filled in."))
        return fulfilled
