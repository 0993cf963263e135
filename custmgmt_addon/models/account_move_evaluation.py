from odoo import fields, models
from odoo.tools import SQL


class AccountMoveLine(models.Model):
    _inherit = 'account.move.line'

    custmgmt_unit_cost = fields.Float(
        string="Standard Cost at Posting", readonly=True, copy=False, digits='Product Price',
        help="The product's standard cost per unit of the line, in company currency, when the customer "
             "invoice was posted: the cost side of the customer's margin in the customer evaluation.")


class AccountMove(models.Model):
    """The cost of a customer invoice for the customer evaluation's profit
    contribution: the products' standard cost when the invoice is posted,
    stamped on its lines and summed on the invoice (core ``sale_margin`` is not
    a dependency of the addon, and its margin lives on orders, not invoices)."""
    _inherit = 'account.move'

    custmgmt_cost_signed = fields.Monetary(
        string="Standard Cost", currency_field='company_currency_id', readonly=True, copy=False,
        help="Standard cost of the invoiced products when the invoice was posted, in company currency; "
             "negative on credit notes.")

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(lambda move: move.move_type in ('out_invoice', 'out_refund'))._custmgmt_stamp_cost()
        return posted

    def _custmgmt_stamp_cost(self):
        """Stamp each product line with its product's standard cost now (per
        unit of the line's unit of measure) and the invoice with the total,
        in two UPDATEs for the whole batch."""
        line_ids, unit_costs, totals = [], [], {}
        for company, moves in self.grouped('company_id').items():
            lines = moves.line_ids.filtered(lambda line: line.display_type == 'product' and line.product_id)
            for line in lines.with_company(company):
                product = line.product_id
                unit_cost = product.standard_price
                if line.product_uom_id and line.product_uom_id != product.uom_id:
                    unit_cost = product.uom_id._compute_price(unit_cost, line.product_uom_id)
                line_ids.append(line.id)
                unit_costs.append(unit_cost)
                sign = -1 if line.move_id.move_type == 'out_refund' else 1
                totals[line.move_id.id] = totals.get(line.move_id.id, 0.0) + sign * line.quantity * unit_cost
        self.env['account.move.line'].flush_model(['custmgmt_unit_cost'])
        self.flush_model(['custmgmt_cost_signed'])
        if line_ids:
            self.env.execute_query(SQL(
                """
                UPDATE account_move_line line SET custmgmt_unit_cost = v.cost
                  FROM unnest(%s::int[], %s::float8[]) AS v(id, cost) WHERE line.id = v.id
                """, line_ids, unit_costs))
        self.env.execute_query(SQL(
            """
            UPDATE account_move move SET custmgmt_cost_signed = COALESCE(v.cost, 0)
              FROM unnest(%s::int[]) AS m(id) LEFT JOIN unnest(%s::int[], %s::numeric[]) AS v(id, cost) ON v.id = m.id
             WHERE move.id = m.id
            """, self.ids, list(totals), [round(cost, 2) for cost in totals.values()]))
        self.env['account.move.line'].invalidate_model(['custmgmt_unit_cost'])
        self.invalidate_model(['custmgmt_cost_signed'])
