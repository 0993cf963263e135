from odoo import api, models
from odoo.tools import SQL, format_amount, format_date

from ..rules import overview as overview_rules

# customers drawn one by one in the Pareto chart; the rest is one "Others (n)" bar
PARETO_BARS = 300


class CustmgmtPareto(models.AbstractModel):
    """The Pareto analysis of the tiers (seed 001 图2-2): the customers of a
    company, a salesperson or a sales team sorted by monthly average, with the
    cumulative share and the policy's cut lines (:meth:`get_pareto`, read by
    the ``custmgmt_pareto`` client action)."""
    _name = 'custmgmt.pareto'
    _description = "Customer Management: Pareto analysis"


    @api.model
    def _pareto_default(self):
        """The chart a user opens on: a Manager or Finance the company, a team
        leader their team, a salesperson their own customers."""
        kind = self.env['custmgmt.overview']._scope()[0]
        if kind == 'team':
            return 'team', self.env['crm.team'].sudo().search([('user_id', '=', self.env.uid)], limit=1).id
        if kind == 'own':
            return 'user', self.env.uid
        return 'company', False

    @api.model
    def get_pareto(self, scope=None, res_id=False):
        """The current company's tiered customers sorted by monthly average,
        highest first, as bars and cumulative share, from the stored tier
        figures (one grouped query); beyond ``PARETO_BARS`` customers the tail
        is one "Others (n)" bar.

        :param scope: ``'company'``, ``'user'`` (a salesperson's customers,
            ``res_id`` the user) or ``'team'`` (a sales team's, ``res_id`` the
            team); the user's default when empty
        """
        if scope not in ('company', 'user', 'team') or (scope != 'company' and not res_id):
            scope, res_id = self._pareto_default()
        company = self.env.company
        key = str(company.id)
        condition = SQL("TRUE")
        if scope == 'user':
            condition = SQL("partner.user_id = %s", res_id)
        elif scope == 'team':
            team = self.env['crm.team'].sudo().browse(res_id)
            condition = SQL("partner.user_id = ANY(%s)", (team.crm_team_member_ids.user_id | team.user_id).ids)
        self.env['res.partner'].flush_model(['name', 'custmgmt_tier', 'custmgmt_tier_monthly_average', 'user_id'])
        self.env['custmgmt.tier.position'].flush_model()
        rows = self.env.execute_query(SQL(
            """
            WITH ranked AS (
                SELECT partner.id, partner.name, partner.custmgmt_tier ->> %(key)s AS tier,
                       COALESCE((partner.custmgmt_tier_monthly_average ->> %(key)s)::float8, 0) AS average,
                       position.rank,
                       ROW_NUMBER() OVER (ORDER BY COALESCE((partner.custmgmt_tier_monthly_average ->> %(key)s)::float8, 0) DESC,
                                                   partner.id) AS n,
                       COUNT(*) OVER () AS total
                  FROM res_partner partner
             LEFT JOIN custmgmt_tier_position position
                    ON position.partner_id = partner.id AND position.company_id = %(company)s
                 WHERE partner.custmgmt_tier ->> %(key)s IS NOT NULL AND %(condition)s
            )
            SELECT CASE WHEN MIN(n) < %(bars)s OR MIN(total) <= %(bars)s THEN MIN(id) END,
                   MIN(name), MIN(tier), SUM(average), MIN(rank), COUNT(*)
              FROM ranked
          GROUP BY CASE WHEN n < %(bars)s OR total <= %(bars)s THEN n ELSE %(bars)s END
          ORDER BY MIN(n)
            """, key=key, company=company.id, condition=condition, bars=PARETO_BARS))
        points = overview_rules.pareto_points(
            [(pid, name, tier if pid else None, float(average), rank if pid else None, count)
             for pid, name, tier, average, rank, count in rows],
            other_label=lambda count: self.env._("Others (%(count)s)", count=count))
        currency = company.currency_id
        for point in points:
            point['display'] = format_amount(self.env, point['average'], currency)
        salespeople = self.env.execute_query(SQL(
            """
            SELECT DISTINCT partner.user_id FROM res_partner partner
             WHERE partner.custmgmt_tier ->> %s IS NOT NULL AND partner.user_id IS NOT NULL
            """, key))
        users = self.env['res.users'].sudo().browse([row[0] for row in salespeople]).sorted('name')
        teams = self.env['crm.team'].search([('company_id', 'in', [company.id, False])])
        return {
            'scope': scope, 'res_id': res_id or False,
            'company': company.name, 'currency': currency.name,
            'computed_on': company.custmgmt_tier_last_run_date and format_date(
                self.env, company.custmgmt_tier_last_run_date),
            'policy': {
                'method': company.custmgmt_tier_method,
                'a_share': company.custmgmt_tier_a_share, 'b_share': company.custmgmt_tier_b_share,
                'a_amount': company.custmgmt_tier_a_amount, 'b_amount': company.custmgmt_tier_b_amount,
            },
            'tiers': dict(self.env['res.partner']._fields['custmgmt_tier']._description_selection(self.env)),
            'points': points,
            'customers': sum(point['count'] for point in points),
            'users': [[user.id, user.name] for user in users],
            'teams': [[team.id, team.display_name] for team in teams],
        }
