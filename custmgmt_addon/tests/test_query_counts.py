from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustmgmtCreditCommon

TODAY = '2026-11-24'


@tagged('post_install', '-at_install')
@freeze_time(TODAY)
class TestQueryCounts(CustmgmtCreditCommon):
    """The engines and the figures of the customer form read their data with
    grouped queries: the number of queries is the same for 2 customers as for
    6, and stays within a tight bound (query counts measured on Odoo 18.0)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env['res.partner'].create([
            {'name': f'Counted {i}', 'is_company': True, 'user_id': cls.salesman.id} for i in range(6)])
        cls._invoices([(customer, '2026-09-10', 1000.0 * (i + 1), {'due': '2026-09-30'})
                       for i, customer in enumerate(cls.customers)])
        cls.env['custmgmt.tier.engine']._recompute(cls.company, today=date(2026, 11, 24))

    def _count(self, run):
        """Queries run by ``run()``, from a clean cache."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        run()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_receivable_figures_of_the_form_do_not_grow_with_customers(self):
        def figures(customers):
            def run():
                # reading the first record's figure computes the whole recordset
                customers.with_user(self.finance).with_company(self.company).mapped('custmgmt_exposure')
            return run
        self._count(figures(self.customers[:1]))  # caches of the user's groups and the company
        few, many = self._count(figures(self.customers[:2])), self._count(figures(self.customers))
        self.assertEqual(few, many, "one grouped read for the whole recordset")
        self.env.invalidate_all()
        with self.assertQueryCount(many):
            figures(self.customers)()

    def test_tier_recompute_does_not_grow_with_customers(self):
        """A run that changes nothing costs the same for 6 customers as for
        18 (the chatter note of a tier that moves is one message per customer,
        as Odoo logs it)."""
        engine = self.env['custmgmt.tier.engine']
        engine._recompute(self.company, today=date(2026, 12, 2))
        six = self._count(lambda: engine._recompute(self.company, today=date(2026, 12, 2)))
        more = self.env['res.partner'].create([
            {'name': f'More {i}', 'is_company': True, 'user_id': self.salesman.id} for i in range(12)])
        self._invoices([(customer, '2026-09-12', 700.0 + i) for i, customer in enumerate(more)])
        engine._recompute(self.company, today=date(2026, 12, 2))
        eighteen = self._count(lambda: engine._recompute(self.company, today=date(2026, 12, 2)))
        self.assertEqual(six, eighteen)
        with self.assertQueryCount(eighteen):
            engine._recompute(self.company, today=date(2026, 12, 2))

    def test_visit_cadence_of_the_customers_is_one_query(self):
        planner = self.env['custmgmt.visit.planner']
        ids = self.customers.ids
        planner._custmgmt_cadence_rows(self.company, ids[:1])
        few = self._count(lambda: planner._custmgmt_cadence_rows(self.company, ids[:2]))
        many = self._count(lambda: planner._custmgmt_cadence_rows(self.company, ids))
        self.assertEqual(few, many)
        self.assertLessEqual(many, 3)
