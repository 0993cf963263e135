from odoo import api, fields, models
from odoo.tools import SQL

from ..rules import credit as credit_rules
from ..rules.tiers import TIER_SELECTION

BUCKET_SELECTION = [
    ('not_due', 'Not due'), ('1_30', '1–30 days'), ('31_60', '31–60 days'),
    ('61_90', '61–90 days'), ('over_90', 'Over 90 days'),
]
QUADRANT_SELECTION = [
    ('short_small', 'Short & small: finance reminds'),
    ('long_small', 'Long & small: dunning letters'),
    ('short_large', 'Short & large: salesperson visits'),
    ('long_large', 'Long & large: special measures'),
]


class CustmgmtReceivableAging(models.Model):
    """Open receivable items (应收账款) with their aging bucket (账龄), the
    customer's tier and salesperson, and the collection-matrix quadrant of the
    customer as a whole."""
    _name = 'custmgmt.receivable.aging'
    _description = "Receivable Aging"
    _auto = False
    _order = 'days_overdue desc'
    _rec_name = 'move_id'
    # flushed before the view is read
    _depends = {
        'account.move.line': ['account_id', 'amount_residual', 'company_id', 'date', 'date_maturity',
                              'move_id', 'parent_state', 'partner_id', 'reconciled'],
        'res.partner': ['commercial_partner_id', 'custmgmt_tier', 'user_id'],
        'res.company': ['currency_id', 'custmgmt_large_overdue_amount', 'custmgmt_long_overdue_days'],
        'account.move': ['state', 'move_type', 'amount_total_signed', 'commercial_partner_id'],
        'sale.order': ['state', 'partner_invoice_id', 'currency_rate'],
        'sale.order.line': ['untaxed_amount_to_invoice', 'price_total', 'price_subtotal'],
    }

    move_id = fields.Many2one('account.move', string="Invoice", readonly=True)
    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    user_id = fields.Many2one('res.users', string="Salesperson", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    customer_tier = fields.Selection(TIER_SELECTION, string="Tier", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator='max')
    bucket = fields.Selection(BUCKET_SELECTION, string="Aging", readonly=True)
    amount_residual = fields.Monetary(string="Open Amount", readonly=True)
    customer_overdue = fields.Monetary(readonly=True, aggregator='max')
    quadrant = fields.Selection(QUADRANT_SELECTION, string="Collection Quadrant", readonly=True)
    over_credit_limit = fields.Boolean(
        readonly=True,
        help="The customer has a credit limit in this company (in company currency) and its exposure is above it.")

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        """Aging buckets and collection quadrants in their own order (not due,
        1–30, ..., over 90), not the alphabetical order of their keys, in the
        pivot's columns and the list's groups."""
        terms = dict(groupby_terms)
        for fname, selection in (('bucket', BUCKET_SELECTION), ('quadrant', QUADRANT_SELECTION)):
            if fname in terms:
                terms[fname] = SQL("CASE %s %s END", terms[fname], SQL(" ").join(
                    SQL("WHEN %s THEN %s", key, index) for index, (key, _label) in enumerate(selection)))
        return super()._read_group_orderby(order, terms, query)

    def _over_limit_query(self):
        """Per customer and company, whether its exposure is over its credit
        limit (core's company default when it has none): grouped on the join
        keys so that PostgreSQL drops the join when the column is not read."""
        Partner = self.env['res.partner']
        companies = self.env['res.company'].sudo().search([])
        fallbacks = {company.id: Partner._custmgmt_limit_sql(company, 'limited')[1] for company in companies}
        values = SQL(", ").join(SQL("(%s, %s::float8)", cid, float(amount)) for cid, amount in fallbacks.items())
        partner_filter = None
        if not any(fallbacks.values()):  # only customers with a limit of their own can be over it
            partner_filter = SQL("SELECT id FROM res_partner WHERE credit_limit IS NOT NULL")
        exposure = Partner._custmgmt_exposure_query(
            fields.Date.context_today(self), companies.ids, partner_filter=partner_filter)
        return SQL(
            """
            SELECT exposure.partner_id, exposure.company_id,
                   BOOL_OR(COALESCE((limited.credit_limit ->> exposure.company_id::text)::float8, fallback.amount) > 0
                           AND exposure.open + exposure.draft + exposure.to_invoice
                               > COALESCE((limited.credit_limit ->> exposure.company_id::text)::float8,
                                          fallback.amount)) AS over_limit
              FROM (%(exposure)s) AS exposure(partner_id, company_id, open, overdue, oldest, draft, to_invoice)
              JOIN res_partner limited ON limited.id = exposure.partner_id
              JOIN (VALUES %(values)s) AS fallback(company_id, amount) ON fallback.company_id = exposure.company_id
          GROUP BY exposure.partner_id, exposure.company_id
            """,
            exposure=exposure, values=values,
        )

    @property
    def _table_query(self):
        # open_items is inlined (NOT MATERIALIZED) and the customer and
        # per-customer joins are LEFT joins on unique keys, so that PostgreSQL
        # pushes a grouped read's filters down and drops the joins it does not
        # use (a pivot by customer and bucket reads the lines only once)
        return SQL(
            """
            WITH open_items AS NOT MATERIALIZED (
                SELECT line.id, line.move_id, partner.commercial_partner_id AS partner_id,
                       line.company_id, company.currency_id, line.amount_residual,
                       COALESCE(line.date_maturity, line.date) AS date_maturity,
                       %(today)s::date - COALESCE(line.date_maturity, line.date) AS days_overdue,
                       company.custmgmt_long_overdue_days AS long_days,
                       company.custmgmt_large_overdue_amount AS large_amount
                  FROM account_move_line line
                  %(open_item_joins)s
                  JOIN res_company company ON company.id = line.company_id
                 WHERE %(open_item)s
            ), per_customer AS (
                SELECT partner_id, company_id,
                       SUM(amount_residual) AS customer_overdue,
                       MAX(days_overdue) FILTER (WHERE amount_residual > 0) AS customer_oldest
                  FROM open_items
                 WHERE days_overdue > 0
              GROUP BY partner_id, company_id
            )
            SELECT item.id, item.move_id, item.partner_id, customer.user_id, item.company_id, item.currency_id,
                   customer.custmgmt_tier ->> item.company_id::text AS customer_tier,
                   item.date_maturity, GREATEST(item.days_overdue, 0) AS days_overdue,
                   CASE WHEN item.days_overdue <= 0 THEN 'not_due'
                        WHEN item.days_overdue <= 30 THEN '1_30'
                        WHEN item.days_overdue <= 60 THEN '31_60'
                        WHEN item.days_overdue <= 90 THEN '61_90'
                        ELSE 'over_90' END AS bucket,
                   item.amount_residual,
                   COALESCE(per_customer.customer_overdue, 0) AS customer_overdue,
                   CASE WHEN COALESCE(per_customer.customer_overdue, 0) <= 0 THEN NULL
                        ELSE (CASE WHEN per_customer.customer_oldest >= item.long_days THEN 'long' ELSE 'short' END)
                             || '_' ||
                             (CASE WHEN per_customer.customer_overdue >= item.large_amount
                                   THEN 'large' ELSE 'small' END)
                   END AS quadrant,
                   COALESCE(over_limit.over_limit, FALSE) AS over_credit_limit
              FROM open_items item
         LEFT JOIN res_partner customer ON customer.id = item.partner_id
         LEFT JOIN per_customer ON per_customer.partner_id = item.partner_id
                               AND per_customer.company_id = item.company_id
         LEFT JOIN (%(over_limit)s) over_limit ON over_limit.partner_id = item.partner_id
                                               AND over_limit.company_id = item.company_id
            """,
            today=fields.Date.context_today(self), over_limit=self._over_limit_query(),
            open_item_joins=SQL(credit_rules.OPEN_ITEM_JOINS), open_item=SQL(credit_rules.OPEN_ITEM_CONDITION),
        )
