from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustmgmtCreditCommon


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditFigures(CustmgmtCreditCommon):
    """Receivable figures per customer (commercial partner, per company, in
    company currency) against values computed by hand, on 24 Nov 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().account_use_credit_limit = True

    def test_figures_against_hand_computed_values(self):
        eur = self.setup_other_currency('EUR')  # 2 EUR for 1 company currency unit
        contact = self.env['res.partner'].create({'name': 'Buyer', 'parent_id': self.customer.id})
        order = self._order(1000)
        order.action_confirm()                                               # confirmed, not invoiced
        self._invoice('2026-11-01', 1000, due='2026-12-10')                # not due
        partial = self._invoice('2026-10-10', 2000)                          # 45 days, 500 paid
        self._pay(partial, 500, '2026-11-01')
        self._invoice('2026-08-01', 3000)                                    # 115 days
        self._invoice('2026-11-15', 200, move_type='out_refund')             # credit note, 9 days
        self._invoice('2026-09-20', 700, partner=contact)                    # 65 days, child contact
        self._invoice('2026-11-10', 600, currency=eur)                       # 14 days, 300 in company currency
        self._invoice('2026-11-20', 400, post=False)                         # draft
        late = self._invoice('2026-09-01', 800)                              # paid 20 days late
        self._pay(late, 800, '2026-09-21')
        early = self._invoice('2026-09-15', 100, due='2026-10-01')           # paid before its due date
        self._pay(early, 100, '2026-09-28')
        self.env.invalidate_all()  # as a new request would: the figures are computed when read
        for figures in (self.customer.with_user(self.salesman), contact.with_user(self.salesman)):
            self.assertAlmostEqual(figures.custmgmt_aging_not_due, 1000)
            self.assertAlmostEqual(figures.custmgmt_aging_1_30, -200 + 300)
            self.assertAlmostEqual(figures.custmgmt_aging_31_60, 1500)
            self.assertAlmostEqual(figures.custmgmt_aging_61_90, 700)
            self.assertAlmostEqual(figures.custmgmt_aging_over_90, 3000)
            self.assertAlmostEqual(figures.custmgmt_overdue_amount, 100 + 1500 + 700 + 3000)
            self.assertEqual(figures.custmgmt_oldest_overdue_days, 115)
            self.assertAlmostEqual(figures.custmgmt_draft_invoiced, 400)
            self.assertAlmostEqual(figures.custmgmt_exposure, 6300 + 400 + 1000)
            self.assertAlmostEqual(figures.custmgmt_payment_delay, 10.0)
        # open receivables are core's figure, not a second one
        self.assertAlmostEqual(self.customer.sudo().credit, 6300)

    def _check_orders_counted_once_tax_included(self):
        order = self._order(1000, taxes=self.tax_sale_a)
        self.assertAlmostEqual(order.amount_total, 1150, msg="15 % tax")
        order.action_confirm()
        self.env.invalidate_all()  # the figures are not stored: a new request computes them again
        customer = self.customer.with_user(self.salesman)
        self.assertAlmostEqual(customer.custmgmt_exposure, 1150)
        invoice = order.sudo()._create_invoices()
        self.env.invalidate_all()
        self.assertEqual(invoice.state, 'draft')
        self.assertAlmostEqual(customer.custmgmt_draft_invoiced, 0.0)
        self.assertAlmostEqual(customer.custmgmt_exposure, 1150, msg="the draft invoice of an order is not counted twice")
        invoice.action_post()
        self.env.invalidate_all()
        self.assertAlmostEqual(customer.custmgmt_exposure, 1150)
        self.assertAlmostEqual(customer.custmgmt_aging_not_due, 1150)

    def test_orders_counted_once_tax_included(self):
        self._check_orders_counted_once_tax_included()

    def test_orders_counted_without_the_core_credit_limit_setting(self):
        """Core computes ``credit_to_invoice`` only when the company uses credit
        limits; the exposure counts confirmed orders anyway."""
        self.company.sudo().account_use_credit_limit = False
        self._check_orders_counted_once_tax_included()

    def test_payment_delay_counts_items_settled_in_the_last_12_months(self):
        very_late = self._invoice('2025-09-01', 100)      # due 1 Sep 2025, paid 1 Nov 2026: 426 days late
        self._pay(very_late, 100, '2026-11-01')
        long_ago = self._invoice('2025-01-01', 100)       # settled 1 Oct 2025, more than 12 months ago
        self._pay(long_ago, 100, '2025-10-01')
        on_time = self._invoice('2026-10-01', 100, due='2026-10-31')
        self._pay(on_time, 100, '2026-10-15')             # before its due date: 0
        partly = self._invoice('2026-06-01', 100)         # not settled: not counted
        self._pay(partly, 40, '2026-07-01')
        self.assertAlmostEqual(self.customer.with_user(self.salesman).custmgmt_payment_delay, (426 + 0) / 2)

    def test_figures_are_per_company(self):
        company_2 = self.setup_other_company()['company']
        self._invoice('2026-10-01', 500, company=company_2)   # 54 days overdue in company 2
        self._invoice('2026-11-01', 300)                       # 23 days overdue here
        here = self.customer.with_company(self.company).sudo()
        there = self.customer.with_company(company_2).sudo()
        self.assertEqual((here.custmgmt_overdue_amount, here.custmgmt_aging_31_60, here.custmgmt_oldest_overdue_days),
                         (300, 0, 23))
        self.assertEqual((there.custmgmt_overdue_amount, there.custmgmt_aging_31_60, there.custmgmt_oldest_overdue_days),
                         (500, 500, 54))

    def test_figures_of_many_customers_take_the_same_queries(self):
        customers = [self._customer(f"Bulk {n}", user_id=self.salesman.id) for n in range(12)]
        self._invoices([(customer, '2026-10-01', 100 + n) for n, customer in enumerate(customers)])
        Partner = self.env['res.partner'].with_user(self.salesman)
        ids = [customer.id for customer in customers]

        def queries(partners):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = partners.mapped('custmgmt_overdue_amount')
            return self.env.cr.sql_log_count - before, values

        queries(Partner.browse(ids[:2]))  # warm what is read once per registry
        few, few_values = queries(Partner.browse(ids[:2]))
        many, many_values = queries(Partner.browse(ids))
        self.assertEqual(many, few, "one grouped query for the recordset, not one per customer")
        self.assertEqual(many_values, [100.0 + n for n in range(12)])
        self.assertEqual(few_values, [100.0, 101.0])

    def test_aging_report_and_quadrant(self):
        self.company.sudo().write({'custmgmt_long_overdue_days': 60, 'custmgmt_large_overdue_amount': 10000})
        self._invoice('2026-11-01', 1000, due='2026-12-10')
        self._invoice('2026-10-10', 2000)
        self._invoice('2026-08-01', 9000)
        Aging = self.env['custmgmt.receivable.aging']
        rows = Aging.with_user(self.salesman).search([('partner_id', '=', self.customer.id)])
        by_bucket = {row.bucket: row.amount_residual for row in rows}
        self.assertEqual(by_bucket, {'not_due': 1000, '31_60': 2000, 'over_90': 9000})
        self.assertEqual(set(rows.mapped('quadrant')), {'long_large'})
        self.assertEqual(max(rows.mapped('days_overdue')), 115)
        self.assertEqual(set(rows.mapped('user_id')), {self.salesman})
        groups = Aging.with_user(self.finance)._read_group(
            [('partner_id', '=', self.customer.id)], ['bucket'], ['amount_residual:sum'])
        self.assertEqual(dict(groups), {'not_due': 1000, '31_60': 2000, 'over_90': 9000})
        self.assertFalse(Aging.with_user(self.owner).search([('partner_id', '=', self.customer.id)]),
                         "users see the items of their own customers")
