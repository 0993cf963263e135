from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from .common import CustmgmtCommon
from .test_jobs import BUSY, JobLockMixin

TODAY = '2026-11-24'  # window with 3 months: Aug, Sep, Oct 2026


@tagged('post_install', '-at_install')
@freeze_time(TODAY)
class TestTierEngine(JobLockMixin, CustmgmtCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tests own the ranking of this company: no other invoiced partner counts
        cls.env['account.move'].search([('company_id', '=', cls.company.id)]).button_draft()

    def _run(self, companies=None):
        companies = companies or self.company
        return self.env['custmgmt.tier.engine']._recompute(companies, today=fields.Date.to_date(TODAY))

    def _tier(self, partner, company=None):
        return partner.with_company(company or self.company).custmgmt_tier

    def _pareto_twenty(self):
        """20 customers: the top 4 make exactly 80 %, the next 6 15 %, the last 10 5 %."""
        top = [self._customer(f"Top {i}") for i in range(4)]
        mid = [self._customer(f"Mid {i}") for i in range(6)]
        low = [self._customer(f"Low {i}") for i in range(10)]
        # window totals (3 months) make averages of 20,000 / 2,500 / 500
        specs = [(p, '2026-09-10', 60000.0) for p in top]
        specs += [(p, '2026-08-20', 7500.0) for p in mid]
        specs += [(p, '2026-10-31', 1500.0) for p in low]
        self._invoices(specs)
        return top, mid, low

    # ------------------------------------------------------------------
    # definition
    # ------------------------------------------------------------------

    def test_twenty_customers_pareto_cut(self):
        top, mid, low = self._pareto_twenty()
        self._run()
        self.assertEqual([self._tier(p) for p in top], ['a'] * 4)
        self.assertEqual([self._tier(p) for p in mid], ['b'] * 6)
        self.assertEqual([self._tier(p) for p in low], ['c'] * 10)
        first_mid = mid[0].with_company(self.company)
        self.assertEqual(first_mid.custmgmt_tier_rank, 5)
        self.assertAlmostEqual(first_mid.custmgmt_tier_share_before, 80.0, places=2)
        self.assertAlmostEqual(first_mid.custmgmt_tier_monthly_average, 2500.0, places=2)
        self.assertEqual(first_mid.custmgmt_tier_computed_on, fields.Date.to_date(TODAY))
        self.assertEqual(self.company.custmgmt_tier_last_count, 20)
        explanation = first_mid.with_context(lang='en_US').custmgmt_tier_explanation
        self.assertIn("over Aug–Oct 2026", explanation)
        self.assertIn("rank 5 of 20", explanation)
        self.assertIn("80.0 % of sales ranked above", explanation)
        self.assertTrue(explanation.endswith("→ B – Key"), explanation)

    def test_refunds_net_and_refund_only_partner_is_c(self):
        netted = self._customer("Netted")
        refund_only = self._customer("Refund only")
        self._invoices([
            (netted, '2026-09-01', 3000.0),
            (netted, '2026-10-01', 1000.0, {'move_type': 'out_refund'}),
            (refund_only, '2026-10-01', 500.0, {'move_type': 'out_refund'}),
        ])
        self._run()
        self.assertAlmostEqual(netted.with_company(self.company).custmgmt_tier_monthly_average, 666.67, places=2)
        self.assertEqual(self._tier(netted), 'a')
        self.assertEqual(self._tier(refund_only), 'c')
        self.assertAlmostEqual(refund_only.with_company(self.company).custmgmt_tier_monthly_average, -166.67, places=2)

    def test_child_contact_invoice_counts_for_its_company(self):
        parent = self._customer("Parent Co")
        child = self.env['res.partner'].create({'name': 'Buyer', 'parent_id': parent.id})
        other = self._customer("Other Co")
        self._invoices([(child, '2026-09-15', 9000.0), (other, '2026-09-15', 3000.0)])
        self._run()
        self.assertAlmostEqual(parent.with_company(self.company).custmgmt_tier_monthly_average, 3000.0)
        self.assertEqual(self._tier(parent), 'a')
        self.assertFalse(self._tier(child), "the contact itself is not tiered, its company is")

    def test_draft_cancelled_and_out_of_window_ignored(self):
        customer = self._customer("Window Co")
        counted = self._customer("Counted Co")
        self._invoices([(customer, '2026-09-15', 99999.0)], post=False)  # draft
        cancelled = self._invoices([(customer, '2026-09-16', 88888.0)])
        cancelled.button_draft()
        cancelled.button_cancel()
        self._invoices([
            (customer, '2026-07-31', 70000.0),   # before the window: invoiced, average 0
            (customer, '2026-11-02', 50000.0),   # current month: after the window
            (counted, '2026-08-01', 300.0),
        ])
        self._run()
        figures = customer.with_company(self.company)
        self.assertEqual(figures.custmgmt_tier_monthly_average, 0.0)
        self.assertEqual(figures.custmgmt_tier, 'c', "invoiced once, nothing in the window: C")
        self.assertEqual(self._tier(counted), 'a')
        never = self._customer("Never invoiced")
        self.assertFalse(self._tier(never))

    def test_foreign_currency_counts_in_company_currency(self):
        eur = self.setup_other_currency('EUR')  # 2 EUR for 1 company currency unit since 2017
        customer = self._customer("Euro Co")
        self._invoices([(customer, '2026-10-05', 6000.0, {'currency': eur})])
        self._run()
        self.assertAlmostEqual(customer.with_company(self.company).custmgmt_tier_monthly_average, 1000.0, places=2)

    def test_two_companies_different_policies(self):
        company_2 = self.setup_other_company()['company']
        company_2.write({'custmgmt_tier_method': 'amount', 'custmgmt_tier_a_amount': 50000.0,
                         'custmgmt_tier_b_amount': 5000.0})
        shared = self._customer("Shared Co")
        big = self._customer("Big Co")
        self._invoices([
            (shared, '2026-09-01', 3000.0), (big, '2026-09-01', 300000.0),
            (shared, '2026-09-01', 30000.0, {'company': company_2}),
        ])
        self._run(self.company | company_2)
        self.assertEqual(self._tier(shared), 'c')          # 1 % of company 1's sales
        self.assertEqual(self._tier(shared, company_2), 'b')  # average 10,000 >= 5,000
        self.assertFalse(self._tier(big, company_2))
        self.assertEqual(shared.with_company(company_2).custmgmt_tier_rank, 1)

    # ------------------------------------------------------------------
    # lock, history, chatter, idempotence
    # ------------------------------------------------------------------

    def test_lock_is_honoured_and_figures_refreshed(self):
        _top, _mid, low = self._pareto_twenty()
        self._run()
        locked = low[0]
        wizard = Form(self.env['custmgmt.tier.set.wizard'].with_user(self.manager).with_context(
            default_partner_id=locked.id))
        wizard.tier = 'a'
        wizard.reason = "Framework contract signed"
        wizard.save().action_confirm()
        self.assertEqual(self._tier(locked), 'a')
        manual = self.env['custmgmt.tier.history'].search([('partner_id', '=', locked.id), ('reason', '=', 'manual')])
        self.assertEqual((manual.old_tier, manual.new_tier), ('c', 'a'))
        self._invoices([(locked, '2026-10-01', 3000.0)])
        self._run()
        figures = locked.with_company(self.company)
        self.assertEqual(figures.custmgmt_tier, 'a', "a locked tier survives the recompute")
        self.assertAlmostEqual(figures.custmgmt_tier_monthly_average, 1500.0, places=2)
        self.assertIn("locked: Framework contract signed", figures.with_context(lang='en_US').custmgmt_tier_explanation)
        locked.with_user(self.manager).action_custmgmt_unlock_tier()
        self._run()
        # unlocked, it takes the tier its figures give: 95,000 of 101,000 ranked above → B
        self.assertEqual(self._tier(locked), 'b')

    def test_history_only_on_change_and_second_run_is_a_no_op(self):
        _top, _mid, low = self._pareto_twenty()
        History = self.env['custmgmt.tier.history']
        done, remaining = self._run()
        self.assertEqual((done, remaining), (20, 0))
        first = History.search([('company_id', '=', self.company.id)])
        self.assertEqual(len(first), 20, "the first classification is a change")
        self.assertFalse(any(first.mapped('old_tier')))
        self.assertEqual(set(first.mapped('reason')), {'recompute'})
        messages_before = self.env['mail.message'].search_count([('model', '=', 'res.partner'), ('res_id', 'in', low[0].ids)])

        done, remaining = self._run()
        self.assertEqual((done, remaining), (0, 0), "nothing changed: nothing written")
        self.assertEqual(History.search_count([('company_id', '=', self.company.id)]), 20)

        # a C customer buys enough to become A
        self._invoices([(low[0], '2026-10-10', 240000.0)])
        self._run()
        change = History.search([('partner_id', '=', low[0].id)], limit=1)
        self.assertEqual((change.old_tier, change.new_tier, change.reason), ('c', 'a', 'recompute'))
        notes = self.env['mail.message'].search([('model', '=', 'res.partner'), ('res_id', '=', low[0].id)])
        self.assertEqual(len(notes), messages_before + 1)
        # the chatter (read by every internal user) points to the tier history, without the tiers
        self.assertIn("see the tier history", notes[0].body)
        self.assertNotIn("Strategic", notes[0].body)
        # no history row for customers whose tier did not move (only their rank or share did)
        self.assertFalse(History.search([('partner_id', '=', low[1].id), ('id', 'not in', first.ids)]))

    def test_cron_runs_every_company_and_reports_progress(self):
        top, _mid, _low = self._pareto_twenty()
        cron = self.env.ref('custmgmt_addon.ir_cron_recompute_tiers')
        self.assertEqual(cron.interval_type, 'months')
        self.assertEqual(cron.nextcall.day, 1)
        progress = self.env['ir.cron.progress'].sudo().create({'cron_id': cron.id, 'remaining': 0, 'done': 0})
        self.env['custmgmt.tier.engine'].with_context(ir_cron_progress_id=progress.id)._cron_recompute()
        self.assertEqual((progress.done, progress.remaining), (20, 0))
        self.assertEqual(self._tier(top[0]), 'a')

    def test_query_count_does_not_grow_with_customers(self):
        """Aggregation and writes are set-based: a first run over 5 or 60 customers costs the same queries."""
        company_2 = self.setup_other_company()['company']

        def first_run_queries(company, count):
            customers = [self._customer(f"{company.name} {i}") for i in range(count)]
            self._invoices([(c, '2026-09-10', 100.0 * (i + 1), {'company': company})
                            for i, c in enumerate(customers)])
            self.env.flush_all()
            self.env.invalidate_all()
            self.env.ref('custmgmt_addon.ir_cron_recompute_tiers')  # the job's xml id, cached once per process
            before = self.env.cr.sql_log_count
            done, _remaining = self._run(company)
            self.assertEqual(done, count)
            return self.env.cr.sql_log_count - before

        self.assertEqual(first_run_queries(self.company, 5), first_run_queries(company_2, 60))

    def test_two_runs_cannot_write_at_once(self):
        """The recompute holds its scheduled action's row, as the cron worker
        does while it runs the job: "Recompute Now" during the scheduled run is
        refused, and the scheduled run steps aside during a manual one and
        comes back a few minutes later."""
        self._pareto_twenty()
        top = self.env['res.partner'].search([('name', '=', 'Top 0')])
        settings = self.env['res.config.settings'].with_user(self.sysadmin).create({})
        with self._job_held('custmgmt_addon.ir_cron_recompute_tiers') as cron:
            triggers = self._triggers(cron)
            with self.assertRaisesRegex(UserError, BUSY):
                settings.action_custmgmt_recompute_tiers()
            with self.assertRaisesRegex(UserError, BUSY):
                self._run()
            self.env['custmgmt.tier.engine']._cron_recompute()
            self.assertFalse(self._tier(top))
            self.assertFalse(self.company.custmgmt_tier_last_run_date)
            self._assert_retriggered(cron, triggers)
            # the cron worker holds the row itself while it runs the job: its call writes
            self.env['custmgmt.tier.engine'].with_context(cron_id=cron.id)._cron_recompute()
            self.assertEqual(self._tier(top), 'a')
        settings.action_custmgmt_recompute_tiers()
        self.assertEqual(self._tier(top), 'a')

    def test_scheduled_calls_are_budgeted_and_a_manual_run_finishes_the_job(self):
        self._pareto_twenty()
        cron = self.env.ref('custmgmt_addon.ir_cron_recompute_tiers')
        Partner = self.env['res.partner'].with_company(self.company)
        settings = self.env['res.config.settings'].with_user(self.sysadmin).create({})
        with patch('odoo.addons.custmgmt_addon.models.custmgmt_tier_engine.TIER_WRITE_BATCH', 5), \
                patch('odoo.addons.custmgmt_addon.models.custmgmt_job_runner.JOB_CALL_SECONDS', 0):
            # a call of the cron worker stops when its time is up and says what remains
            progress = self.env['ir.cron.progress'].sudo().create({'cron_id': cron.id})
            self.env['custmgmt.tier.engine'].with_context(cron_id=cron.id, ir_cron_progress_id=progress.id)\
                ._cron_recompute()
            self.assertEqual(progress.done, 5)
            self.assertGreaterEqual(progress.remaining, 15)
            # called directly (not by the worker), it leaves the rest to the worker: its cron is triggered
            triggers = self._triggers(cron)
            self.env['custmgmt.tier.engine']._cron_recompute()
            self.assertEqual(len(self._triggers(cron) - triggers), 1)
            # "Recompute Now" finishes the whole job in one go
            settings.action_custmgmt_recompute_tiers()
        self.assertEqual(Partner.search_count([('custmgmt_tier', '!=', False)]), 20)
        self.assertEqual(self.company.custmgmt_tier_last_count, 20)

    def test_failure_inside_a_run_is_reported_as_itself(self):
        self._pareto_twenty()

        def broken_batch(engine, company, batch, today):
            engine.env.cr.execute(SQL("SELECT 1 / 0"))

        with patch.object(type(self.env['custmgmt.tier.engine']), '_write_batch', broken_batch), \
                mute_logger('odoo.sql_db'):
            for run in (self._run, self.env['custmgmt.tier.engine']._cron_recompute):
                with self.assertRaises(psycopg2.errors.DivisionByZero), self.env.cr.savepoint():
                    run()

    def test_interrupted_run_resumes_without_redoing_batches(self):
        self._pareto_twenty()
        today = fields.Date.to_date(TODAY)
        Partner = self.env['res.partner'].with_company(self.company)
        with patch('odoo.addons.custmgmt_addon.models.custmgmt_tier_engine.TIER_WRITE_BATCH', 5):
            # a call with no time left stops after its first batch, as a killed run would
            done, remaining = self.env['custmgmt.tier.engine']._recompute(self.company, today=today, max_seconds=0)
            self.assertEqual((done, remaining), (5, 15))
            self.assertEqual(Partner.search_count([('custmgmt_tier', '!=', False)]), 5)
            # the next call continues the same run: the 5 written rows are not written again
            done, remaining = self.env['custmgmt.tier.engine']._recompute(self.company, today=today)
        self.assertEqual((done, remaining), (15, 0))
        self.assertEqual(Partner.search_count([('custmgmt_tier', '!=', False)]), 20)
        self.assertEqual(self.env['custmgmt.tier.history'].search_count([('company_id', '=', self.company.id)]), 20)

    # ------------------------------------------------------------------
    # policy, preview, access
    # ------------------------------------------------------------------

    def test_policy_validation(self):
        company = self.company.sudo()
        for vals, message in (
            ({'custmgmt_tier_a_share': 96.0}, "0 < A share < B share"),
            ({'custmgmt_tier_b_share': 101.0}, "0 < A share < B share"),
            ({'custmgmt_tier_months': 13}, "between 1 and 12"),
            ({'custmgmt_tier_method': 'amount', 'custmgmt_tier_a_amount': 10.0,
              'custmgmt_tier_b_amount': 10.0}, "A amount > B amount"),
        ):
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                company.write(vals)
            company.invalidate_recordset()
        self.assertEqual((company.custmgmt_tier_months, company.custmgmt_tier_a_share), (3, 80.0),
                         "a refused policy changes nothing")
        # unused amount cut points never block a Pareto company, nor a new company
        company.write({'custmgmt_tier_a_amount': 0.0, 'custmgmt_tier_b_amount': 0.0})
        self.assertEqual(company.custmgmt_tier_a_share, 80.0)
        new_company = self.env['res.company'].sudo().create({'name': 'Fresh Co'})
        self.assertEqual((new_company.custmgmt_tier_months, new_company.custmgmt_tier_method), (3, 'pareto'))

    def test_preview_writes_nothing(self):
        top, _mid, _low = self._pareto_twenty()
        settings = Form(self.env['res.config.settings'].with_user(self.sysadmin))
        settings.custmgmt_tier_a_share = 85.0
        settings.custmgmt_tier_b_share = 99.0
        action = settings.save().action_custmgmt_preview_tiers()
        self.assertEqual(self.company.custmgmt_tier_a_share, 80.0, "the unsaved policy is not written")
        preview = self.env['custmgmt.tier.preview.wizard'].with_user(self.manager).with_context(
            **action['context']).create({})
        # at 85 %, the six mids (80 % ranked above them) join the tops in A; the lows (95 %) are B
        self.assertEqual((preview.a_count, preview.b_count, preview.c_count), (10, 10, 0))
        self.assertAlmostEqual(preview.a_sales_share, 95.0, places=1)
        self.assertFalse(self._tier(top[0]), "nothing written by the preview")
        preview.method = 'amount'
        preview.a_amount, preview.b_amount = 10.0, 10.0
        self.assertIn("A amount > B amount", preview.problem)
        with self.assertRaises(AccessError):
            self.env['res.config.settings'].with_user(self.salesman).create({}).action_custmgmt_preview_tiers()

    def test_access_to_tiers(self):
        top, _mid, _low = self._pareto_twenty()
        self._run()
        customer = top[0]
        self.assertEqual(customer.with_user(self.salesman).custmgmt_tier, 'a', "users read tiers")
        with self.assertRaises(AccessError):
            customer.with_user(self.salesman).write({'custmgmt_tier': 'c'})
        with self.assertRaises(AccessError):
            customer.with_user(self.plain_user).custmgmt_tier
        with self.assertRaises(AccessError):
            self.env['custmgmt.tier.preview.wizard'].with_user(self.salesman)._custmgmt_recompute_now(self.company)
        with self.assertRaises(AccessError):
            self.env['custmgmt.tier.set.wizard'].with_user(self.salesman).create(
                {'partner_id': customer.id, 'tier': 'c', 'reason': 'x'})
        # a Manager runs it now, for the whole job
        customer.with_company(self.company).sudo().write({'custmgmt_tier': 'c'})
        self.env['custmgmt.tier.preview.wizard'].with_user(self.manager)._custmgmt_recompute_now(self.company)
        self.assertEqual(self._tier(customer), 'a')
        # another company's tiers and history are out of reach
        company_2 = self.setup_other_company()['company']
        with self.assertRaises(AccessError):
            customer.with_user(self.salesman).with_company(company_2).custmgmt_tier
        self.env['custmgmt.tier.history'].sudo().create({
            'partner_id': customer.id, 'company_id': company_2.id, 'new_tier': 'b', 'reason': 'manual'})
        visible = self.env['custmgmt.tier.history'].with_user(self.manager).search([('partner_id', '=', customer.id)])
        self.assertEqual(visible.company_id, self.company)

    def test_register_and_saved_filters(self):
        top, _mid, _low = self._pareto_twenty()
        self._run()
        rows = self.env['custmgmt.tier.register'].search([('company_id', '=', self.company.id)], order='cumulative_share')
        self.assertEqual(len(rows), 20)
        self.assertIn(rows[0].partner_id, self.env['res.partner'].union(*top))
        self.assertAlmostEqual(rows[3].cumulative_share, 80.0, places=2)
        self.assertAlmostEqual(rows[-1].cumulative_share, 100.0, places=2)
        self.assertAlmostEqual(sum(rows.mapped('share')), 100.0, places=2)
        # one top customer loses its sales: it moved down
        self._invoices([(top[0], '2026-10-20', 59000.0, {'move_type': 'out_refund'})])
        self._run()
        down = self.env['custmgmt.tier.register'].search([('moved_down', '=', True)])
        self.assertEqual(down.partner_id, top[0])
        self.assertEqual((down.previous_tier, down.customer_tier), ('a', 'c'))
        # a small C customer whose sales rose in Sep and again in Oct; the lows bought in Oct only
        riser = self._customer("Riser")
        self._invoices([(riser, '2026-08-05', 10.0), (riser, '2026-09-05', 20.0), (riser, '2026-10-05', 30.0)])
        self._run()
        growing = self.env['custmgmt.tier.register'].search([('customer_tier', '=', 'c'), ('growing', '=', True)])
        self.assertEqual(growing.partner_id, riser)
        filters = self.env['ir.filters'].search([('model_id', '=', 'custmgmt.tier.register')])
        self.assertEqual(len(filters), 2)
