from odoo import fields, models
from odoo.tools import SQL

from ..rules.tiers import TIER_SELECTION


class CustmgmtTierRegister(models.Model):
    """Tier register (客户等级分类表): one row per tiered customer and company,
    with the cumulative share that draws the Pareto curve, and the tier before
    the last change."""
    _name = 'custmgmt.tier.register'
    _description = "Customer Tier Register"
    _auto = False
    _order = 'company_id, rank, partner_id'
    _rec_name = 'partner_id'
    _depends = {
        'res.partner': ['custmgmt_tier', 'custmgmt_tier_monthly_average', 'custmgmt_tier_locked', 'user_id'],
        'custmgmt.tier.position': ['rank', 'share_before', 'partner_id', 'company_id'],
        'custmgmt.tier.history': ['old_tier', 'new_tier', 'date', 'partner_id', 'company_id'],
        'account.move': ['amount_untaxed_signed', 'commercial_partner_id', 'company_id', 'invoice_date',
                         'move_type', 'state'],
    }

    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    user_id = fields.Many2one('res.users', string="Salesperson", readonly=True)
    customer_tier = fields.Selection(TIER_SELECTION, string="Tier", readonly=True)
    monthly_average = fields.Monetary(readonly=True)
    rank = fields.Integer(readonly=True, aggregator='max')
    share_before = fields.Float(string="Share Ranked Above (%)", readonly=True, aggregator='max')
    share = fields.Float(string="Share of Sales (%)", readonly=True, aggregator='sum')
    cumulative_share = fields.Float(string="Cumulative Share (%)", readonly=True, aggregator='max')
    previous_tier = fields.Selection(TIER_SELECTION, readonly=True)
    last_change = fields.Date(readonly=True)
    moved_down = fields.Boolean(readonly=True)
    tier_locked = fields.Boolean(string="Locked", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    growing = fields.Boolean(
        readonly=True,
        help="Sales rose in each of the last two complete months (a C customer with potential).")

    @property
    def _table_query(self):
        m0 = fields.Date.context_today(self).replace(day=1)
        m1, m2, m3 = (fields.Date.subtract(m0, months=n) for n in (1, 2, 3))
        return SQL(
            """
            WITH tiered AS (
                SELECT partner.id AS partner_id,
                       company.id AS company_id,
                       company.currency_id,
                       partner.user_id,
                       partner.custmgmt_tier ->> company.id::text AS customer_tier,
                       COALESCE((partner.custmgmt_tier_monthly_average ->> company.id::text)::numeric, 0) AS monthly_average,
                       position.rank,
                       COALESCE(position.share_before, 0) AS share_before,
                       COALESCE((partner.custmgmt_tier_locked ->> company.id::text)::boolean, FALSE) AS tier_locked
                  FROM res_partner partner
                  JOIN res_company company ON partner.custmgmt_tier ? company.id::text
             LEFT JOIN custmgmt_tier_position position
                    ON position.partner_id = partner.id AND position.company_id = company.id
                 WHERE partner.custmgmt_tier ->> company.id::text IS NOT NULL
            ), monthly AS (
                SELECT move.commercial_partner_id AS partner_id, move.company_id,
                       SUM(move.amount_untaxed_signed) FILTER (
                           WHERE move.invoice_date >= %(m1)s AND move.invoice_date < %(m0)s) AS last1,
                       SUM(move.amount_untaxed_signed) FILTER (
                           WHERE move.invoice_date >= %(m2)s AND move.invoice_date < %(m1)s) AS last2,
                       SUM(move.amount_untaxed_signed) FILTER (
                           WHERE move.invoice_date >= %(m3)s AND move.invoice_date < %(m2)s) AS last3
                  FROM account_move move
                 WHERE move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.invoice_date >= %(m3)s AND move.invoice_date < %(m0)s
              GROUP BY move.commercial_partner_id, move.company_id
            ), totals AS (
                SELECT company_id, SUM(GREATEST(monthly_average, 0)) AS total
                  FROM tiered GROUP BY company_id
            )
            SELECT tiered.partner_id::bigint * 100000 + tiered.company_id AS id,
                   tiered.*,
                   CASE WHEN totals.total > 0
                        THEN GREATEST(tiered.monthly_average, 0) * 100 / totals.total ELSE 0 END AS share,
                   CASE WHEN totals.total > 0
                        THEN SUM(GREATEST(tiered.monthly_average, 0)) OVER (
                                 PARTITION BY tiered.company_id
                                 ORDER BY tiered.monthly_average DESC, tiered.partner_id
                                 ROWS UNBOUNDED PRECEDING) * 100 / totals.total
                        ELSE 0 END AS cumulative_share,
                   last.old_tier AS previous_tier,
                   last.date AS last_change,
                   COALESCE(last.old_tier < last.new_tier, FALSE) AS moved_down,
                   1 AS customer_count,
                   COALESCE(monthly.last1, 0) > COALESCE(monthly.last2, 0)
                       AND COALESCE(monthly.last2, 0) > COALESCE(monthly.last3, 0) AS growing
              FROM tiered
              JOIN totals ON totals.company_id = tiered.company_id
              LEFT JOIN monthly ON monthly.partner_id = tiered.partner_id
                               AND monthly.company_id = tiered.company_id
              LEFT JOIN LATERAL (
                    SELECT history.old_tier, history.new_tier, history.date
                      FROM custmgmt_tier_history history
                     WHERE history.partner_id = tiered.partner_id
                       AND history.company_id = tiered.company_id
                  ORDER BY history.date DESC, history.id DESC
                     LIMIT 1
              ) last ON TRUE
            """,
            m0=m0, m1=m1, m2=m2, m3=m3,
        )
