from odoo import fields, models
from odoo.tools import SQL

from ..rules.tiers import TIER_SELECTION

REPORT_MONTHS = 12


class CustmgmtServiceReport(models.Model):
    """Service by tier, one row per customer, company and month of the last
    year: the visits its tier's cadence calls for against those done, and the
    satisfaction of its opinion surveys. Pivot by tier, salesperson, month."""
    _name = 'custmgmt.service.report'
    _inherit = ['custmgmt.month.label.mixin']
    _description = "Customer Service Analysis"
    _auto = False
    _order = 'month desc, company_id, partner_id'
    _rec_name = 'partner_id'
    _depends = {
        'res.partner': ['custmgmt_tier', 'user_id', 'parent_id', 'active', 'custmgmt_visit_opt_out'],
        'res.users': ['sale_team_id'],
        'res.company': ['custmgmt_visit_days_a', 'custmgmt_visit_days_b', 'custmgmt_visit_days_c',
                        'custmgmt_top_visit_days'],
        'custmgmt.visit': ['partner_id', 'company_id', 'date', 'state', 'kind'],
        'survey.user_input': ['custmgmt_partner_id', 'custmgmt_company_id', 'custmgmt_satisfaction', 'state',
                              'end_datetime'],
    }

    month = fields.Date(readonly=True)
    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    user_id = fields.Many2one('res.users', string="Salesperson", readonly=True)
    team_id = fields.Many2one('crm.team', string="Sales Team", readonly=True)
    customer_tier = fields.Selection(TIER_SELECTION, string="Tier", readonly=True)
    visits_due = fields.Float(readonly=True, digits=(16, 0),
                              help="Routine visits the tier's interval calls for in the month.")
    visits_done = fields.Integer(readonly=True)
    visits_planned = fields.Integer(readonly=True)
    top_visits_due = fields.Float(string="Top-Management Visits Due", readonly=True, digits=(16, 0))
    top_visits_done = fields.Integer(string="Top-Management Visits Done", readonly=True)
    survey_count = fields.Integer(string="Surveys", readonly=True)
    satisfaction = fields.Float(readonly=True, aggregator='avg', digits=(16, 2),
                                help="Average score (1 to 5) of the month's customer opinion forms.")
    low_score_count = fields.Integer(string="Low Scores", readonly=True)

    @property
    def _table_query(self):
        last = fields.Date.context_today(self).replace(day=1)
        first = fields.Date.subtract(last, months=REPORT_MONTHS - 1)
        return SQL(
            """
            WITH months AS (
                SELECT month::date AS month,
                       EXTRACT(DAY FROM month + INTERVAL '1 month' - month)::numeric AS days
                  FROM generate_series(%(first)s::date, %(last)s::date, INTERVAL '1 month') AS month
            ), customers AS (
                SELECT partner.id AS partner_id,
                       company.id AS company_id,
                       partner.user_id,
                       salesperson.sale_team_id AS team_id,
                       partner.custmgmt_tier ->> company.id::text AS customer_tier,
                       COALESCE(partner.custmgmt_visit_opt_out, FALSE) AS opt_out,
                       CASE partner.custmgmt_tier ->> company.id::text
                            WHEN 'a' THEN company.custmgmt_visit_days_a
                            WHEN 'b' THEN company.custmgmt_visit_days_b
                            ELSE company.custmgmt_visit_days_c END AS interval_days,
                       CASE WHEN partner.custmgmt_tier ->> company.id::text = 'a'
                            THEN company.custmgmt_top_visit_days ELSE 0 END AS top_interval_days
                  FROM res_partner partner
                  JOIN res_company company ON partner.custmgmt_tier ? company.id::text
             LEFT JOIN res_users salesperson ON salesperson.id = partner.user_id
                 WHERE partner.custmgmt_tier ->> company.id::text IS NOT NULL
                   AND partner.parent_id IS NULL AND partner.active
            ), visits AS (
                SELECT partner_id, company_id, DATE_TRUNC('month', date)::date AS month,
                       COUNT(*) FILTER (WHERE state = 'done' AND kind != 'top_management') AS done,
                       COUNT(*) FILTER (WHERE state = 'planned') AS planned,
                       COUNT(*) FILTER (WHERE state = 'done' AND kind = 'top_management') AS top_done
                  FROM custmgmt_visit
                 WHERE date >= %(first)s
              GROUP BY partner_id, company_id, DATE_TRUNC('month', date)
            ), surveys AS (
                SELECT custmgmt_partner_id AS partner_id, custmgmt_company_id AS company_id,
                       DATE_TRUNC('month', end_datetime)::date AS month,
                       COUNT(*) AS survey_count,
                       AVG(custmgmt_satisfaction) AS satisfaction,
                       COUNT(*) FILTER (WHERE custmgmt_satisfaction <= 2) AS low_score_count
                  FROM survey_user_input
                 WHERE state = 'done' AND custmgmt_satisfaction > 0 AND custmgmt_partner_id IS NOT NULL
                   AND end_datetime >= %(first)s
              GROUP BY custmgmt_partner_id, custmgmt_company_id, DATE_TRUNC('month', end_datetime)
            )
            SELECT ROW_NUMBER() OVER (ORDER BY months.month, customers.company_id, customers.partner_id) AS id,
                   months.month,
                   customers.partner_id,
                   customers.company_id,
                   customers.user_id,
                   customers.team_id,
                   customers.customer_tier,
                   CASE WHEN customers.opt_out OR COALESCE(customers.interval_days, 0) <= 0 THEN 0
                        ELSE ROUND(months.days / customers.interval_days, 2) END AS visits_due,
                   COALESCE(visits.done, 0) AS visits_done,
                   COALESCE(visits.planned, 0) AS visits_planned,
                   CASE WHEN customers.opt_out OR COALESCE(customers.top_interval_days, 0) <= 0 THEN 0
                        ELSE ROUND(months.days / customers.top_interval_days, 2) END AS top_visits_due,
                   COALESCE(visits.top_done, 0) AS top_visits_done,
                   COALESCE(surveys.survey_count, 0) AS survey_count,
                   surveys.satisfaction,
                   COALESCE(surveys.low_score_count, 0) AS low_score_count
              FROM customers
        CROSS JOIN months
         LEFT JOIN visits ON visits.partner_id = customers.partner_id
                         AND visits.company_id = customers.company_id AND visits.month = months.month
         LEFT JOIN surveys ON surveys.partner_id = customers.partner_id
                          AND surveys.company_id = customers.company_id AND surveys.month = months.month
            """,
            first=first, last=last,
        )
