from odoo import api, models
from odoo.tools import SQL

from ..rules import credit as credit_rules
from ..rules import evaluation as eval_rules
from .custmgmt_collection import overdue_item


class CustmgmtEvaluationFigures(models.AbstractModel):
    """The measured figures of the evaluation (客户评估) of all the customers
    of a company for a period, one grouped query per source (invoices and
    their standard cost, visits, complaints, disputes, opinion forms, payment
    delay, overdue items). Read by ``custmgmt.evaluation.engine``."""
    _name = 'custmgmt.evaluation.figures'
    _description = "Customer Management: evaluation figures"

    @api.model
    def _figures(self, company, start, end, prev_start):
        """The measured figures of ``company``'s customers in the period
        ``[start, end)``: ``({partner_id: Figures}, company_sales,
        company_prev_sales)``, one grouped query per source."""
        for model in ('account.move', 'account.move.line', 'account.partial.reconcile', 'custmgmt.visit',
                      'custmgmt.complaint', 'custmgmt.dispute', 'survey.user_input', 'res.partner'):
            self.env[model].flush_model()
        values = {}

        def put(pid, **kwargs):
            values.setdefault(pid, {}).update(kwargs)

        # sales and standard cost of the period and the previous one (posted invoices and refunds)
        company_sales = company_prev = 0.0
        for pid, sales, prev, cost in self.env.execute_query(SQL(
            """
            SELECT move.commercial_partner_id,
                   COALESCE(SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(start)s), 0),
                   COALESCE(SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date < %(start)s), 0),
                   COALESCE(SUM(move.custmgmt_cost_signed) FILTER (WHERE move.invoice_date >= %(start)s), 0)
              FROM account_move move
             WHERE move.company_id = %(company)s AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= %(prev_start)s AND move.invoice_date < %(end)s
               AND move.commercial_partner_id IS NOT NULL
          GROUP BY move.commercial_partner_id
            """, company=company.id, start=start, end=end, prev_start=prev_start)):
            put(pid, sales=float(sales), prev_sales=float(prev), cost=float(cost))
            company_sales += float(sales)
            company_prev += float(prev)
        # visits done
        for pid, count in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, COUNT(*) FROM custmgmt_visit visit
              JOIN res_partner partner ON partner.id = visit.partner_id
             WHERE visit.company_id = %(company)s AND visit.state = 'done'
               AND visit.date >= %(start)s AND visit.date < %(end)s
          GROUP BY 1
            """, company=company.id, start=start, end=end)):
            put(pid, visits=count)
        # complaints received and disputes opened in the period (not cancelled)
        for pid, count in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, COUNT(*) FROM custmgmt_complaint complaint
              JOIN res_partner partner ON partner.id = complaint.partner_id
             WHERE complaint.company_id = %(company)s AND complaint.state != 'cancelled'
               AND complaint.date_received >= %(start)s AND complaint.date_received < %(end)s
          GROUP BY 1
            """, company=company.id, start=start, end=end)):
            put(pid, complaints=count)
        for pid, count in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, COUNT(*) FROM custmgmt_dispute dispute
              JOIN res_partner partner ON partner.id = dispute.partner_id
             WHERE dispute.company_id = %(company)s AND dispute.state != 'cancelled'
               AND dispute.create_date >= %(start)s AND dispute.create_date < %(end)s
          GROUP BY 1
            """, company=company.id, start=start, end=end)):
            put(pid, disputes=count)
        # customer opinion forms answered in the period
        for pid, count, average in self.env.execute_query(SQL(
            """
            SELECT custmgmt_partner_id, COUNT(*), AVG(custmgmt_satisfaction) FROM survey_user_input
             WHERE state = 'done' AND custmgmt_satisfaction > 0 AND custmgmt_company_id = %(company)s
               AND custmgmt_partner_id IS NOT NULL
               AND end_datetime >= %(start)s AND end_datetime < %(end)s
          GROUP BY 1
            """, company=company.id, start=start, end=end)):
            put(pid, survey_count=count, survey_avg=float(average))
        # payment delay: receivable items of customer invoices whose last payment fell in the
        # period, days from their due date to that payment (0 when on time), averaged
        for pid, delay in self.env.execute_query(SQL(
            """
            SELECT paid.partner_id, AVG(GREATEST(paid.paid_on - paid.due, 0))
              FROM (%(settled)s) paid
             WHERE paid.paid_on < %(end)s
          GROUP BY paid.partner_id
            """, settled=self.env['res.partner']._custmgmt_settled_items_sql(company, start), end=end)):
            put(pid, payment_delay=float(delay))
        # overdue at the period's end: open receivable items due before it
        for pid, amount in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, SUM(line.amount_residual)
              FROM account_move_line line
              %(joins)s
             WHERE %(overdue)s AND line.company_id = %(company)s
          GROUP BY 1
            """, joins=SQL(credit_rules.OPEN_ITEM_JOINS), overdue=overdue_item(end), company=company.id)):
            put(pid, overdue=float(amount))
        return ({pid: eval_rules.Figures(**vals) for pid, vals in values.items()}, company_sales, company_prev)
