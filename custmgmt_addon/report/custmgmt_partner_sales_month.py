from odoo import fields, models
from odoo.tools import SQL


class CustmgmtPartnerSalesMonth(models.Model):
    """Posted invoice revenue per customer and month over the last 12 months
    (销售业绩), net of refunds, untaxed, in company currency, child contacts
    rolled up on their commercial partner: one grouped query."""
    _name = 'custmgmt.partner.sales.month'
    _inherit = ['custmgmt.month.label.mixin']
    _description = "Customer Sales per Month"
    _auto = False
    _order = 'month desc, partner_id'
    _rec_name = 'month'
    _depends = {
        'account.move': ['amount_untaxed_signed', 'commercial_partner_id', 'company_id', 'invoice_date',
                         'move_type', 'state'],
    }

    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    month = fields.Date(readonly=True)
    amount = fields.Monetary(string="Sales", currency_field='currency_id', readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(move.id) AS id,
                   move.commercial_partner_id AS partner_id,
                   move.company_id AS company_id,
                   company.currency_id AS currency_id,
                   date_trunc('month', move.invoice_date)::date AS month,
                   SUM(move.amount_untaxed_signed) AS amount,
                   COUNT(*) FILTER (WHERE move.move_type = 'out_invoice') AS invoice_count
              FROM account_move move
              JOIN res_company company ON company.id = move.company_id
             WHERE move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= (date_trunc('month', %(today)s::date) - INTERVAL '11 months')::date
          GROUP BY move.commercial_partner_id, move.company_id, company.currency_id,
                   date_trunc('month', move.invoice_date)
            """,
            today=fields.Date.context_today(self),
        )
