from unittest import SkipTest
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustmgmtCommon
from .test_jobs import JobLockMixin

TODAY = '2026-11-24'


@tagged('post_install', '-at_install')
@freeze_time(TODAY)
class TestLifecycle(JobLockMixin, CustmgmtCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tests own the invoices and orders of this company
        cls.env['account.move'].search([('company_id', '=', cls.company.id)]).button_draft()
        cls.env['sale.order'].search([('company_id', '=', cls.company.id)])._action_cancel()
        cls.History = cls.env['custmgmt.lifecycle.history']

    def _run(self, companies=None, today=TODAY):
        return self.env['custmgmt.lifecycle.engine']._run(companies or self.company,
                                                           today=fields.Date.to_date(today))

    def _stage(self, partner, company=None):
        return partner.with_company(company or self.company).custmgmt_lifecycle_stage

    def _order(self, partner, confirm=False, company=None):
        order = self.env['sale.order'].with_company(company or self.company).create({
            'partner_id': partner.id,
            'order_line': [Command.create({'product_id': self.product_a.id, 'product_uom_qty': 1,
                                           'price_unit': 500.0, 'tax_id': []})],
        })
        if confirm:
            order.action_confirm()
        return order

    # ------------------------------------------------------------------
    # the stages at their edges
    # ------------------------------------------------------------------

    def test_stages_at_their_edges(self):
        c = {name: self._customer(name) for name in (
            'new', 'regular', 'awake', 'dormant', 'still_dormant', 'lost', 'refund_only', 'refund_quoted',
            'prospect', 'nothing', 'refund_late', 'draft_only')}
        self._invoices([
            # first invoice one day less than 12 months before the run: new; exactly 12 months: regular
            (c['new'], '2025-11-25', 100.0), (c['new'], '2026-11-01', 100.0),
            (c['regular'], '2025-11-24', 100.0), (c['regular'], '2026-11-01', 100.0),
            # last invoice one day less than 6 months before: still buying; exactly 6 months: dormant
            (c['awake'], '2024-01-10', 100.0), (c['awake'], '2026-05-25', 100.0),
            (c['dormant'], '2024-01-10', 100.0), (c['dormant'], '2026-05-24', 100.0),
            # one day less than 12 months: dormant; exactly 12 months: lost
            (c['still_dormant'], '2024-01-10', 100.0), (c['still_dormant'], '2025-11-25', 100.0),
            (c['lost'], '2024-01-10', 100.0), (c['lost'], '2025-11-24', 100.0),
            # refunds do not make a customer, nor wake a dormant one
            (c['refund_only'], '2026-10-01', 100.0, {'move_type': 'out_refund'}),
            (c['refund_quoted'], '2026-10-01', 100.0, {'move_type': 'out_refund'}),
            (c['refund_late'], '2026-03-01', 300.0),
            (c['refund_late'], '2026-11-01', 100.0, {'move_type': 'out_refund'}),
        ])
        self._invoices([(c['draft_only'], '2026-11-01', 100.0)], post=False)
        self._order(c['prospect'])
        self._order(c['refund_quoted'])
        self._run()
        self.assertEqual({name: self._stage(partner) for name, partner in c.items()}, {
            'new': 'new', 'regular': 'regular', 'awake': 'regular', 'dormant': 'dormant',
            'still_dormant': 'dormant', 'lost': 'lost', 'refund_only': False, 'refund_quoted': 'prospect',
            'prospect': 'prospect', 'nothing': False, 'refund_late': 'dormant', 'draft_only': False,
        })
        regular = c['regular'].with_company(self.company)
        self.assertEqual(regular.custmgmt_first_invoice_date, fields.Date.to_date('2025-11-24'))
        self.assertEqual(regular.custmgmt_last_invoice_date, fields.Date.to_date('2026-11-01'))
        self.assertEqual(self.company.custmgmt_lifecycle_last_count, 9)

    def test_contact_invoice_counts_for_its_company_and_thresholds_are_the_policy(self):
        customer = self._customer("Parent Co")
        contact = self.env['res.partner'].create({'name': "Buyer", 'parent_id': customer.id})
        self._invoices([(contact, '2024-02-01', 100.0), (contact, '2026-08-01', 100.0)])
        self._run()
        self.assertEqual(self._stage(customer), 'regular')
        self.assertFalse(self._stage(contact), "the stage is on the commercial partner")
        self.company.write({'custmgmt_lifecycle_dormant_months': 2, 'custmgmt_lifecycle_lost_months': 3})
        self._run()
        self.assertEqual(self._stage(customer), 'lost')

    def test_policy_validation(self):
        for vals in ({'custmgmt_lifecycle_dormant_months': 12}, {'custmgmt_lifecycle_new_months': 0},
                     {'custmgmt_lifecycle_lost_months': 121}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.write(vals)
        settings = self.env['res.config.settings'].with_user(self.sysadmin).create({})
        self.assertEqual((settings.custmgmt_lifecycle_new_months, settings.custmgmt_lifecycle_dormant_months,
                          settings.custmgmt_lifecycle_lost_months), (12, 6, 12))

    # ------------------------------------------------------------------
    # trading now
    # ------------------------------------------------------------------

    def test_trading_now_is_confirmed_orders_not_fully_invoiced(self):
        customer = self._customer("Trader")
        quoted = self._customer("Quoted")
        self._order(quoted)
        order = self._order(customer, confirm=True)
        cancelled = self._order(self._customer("Cancelled"), confirm=True)
        cancelled._action_cancel()
        self._run()
        partner = customer.with_company(self.company)
        self.assertTrue(partner.custmgmt_trading_now)
        self.assertEqual(partner.custmgmt_lifecycle_stage, 'prospect', "ordered, never invoiced")
        self.assertFalse(quoted.with_company(self.company).custmgmt_trading_now, "a quotation is not trading")
        self.assertFalse(self._stage(cancelled.partner_id), "a cancelled order is nothing")
        # searched and grouped as a user does on the customer list
        Partner = self.env['res.partner'].with_user(self.salesman).with_company(self.company)
        self.assertEqual(Partner.search([('custmgmt_trading_now', '=', True)]), customer)
        groups = dict(Partner._read_group([('id', 'in', (customer | quoted).ids)],
                                          ['custmgmt_lifecycle_stage'], ['__count']))
        self.assertEqual(groups, {'prospect': 2})

        invoice = order._create_invoices()
        invoice.invoice_date = TODAY
        invoice.action_post()
        self._run()
        self.assertFalse(partner.custmgmt_trading_now, "fully invoiced: no longer trading")
        self.assertEqual(partner.custmgmt_lifecycle_stage, 'new')

    # ------------------------------------------------------------------
    # history, idempotence, cron, resume
    # ------------------------------------------------------------------

    def test_history_rows_and_second_run_writes_nothing(self):
        customer = self._customer("Mover")
        other = self._customer("Steady")
        self._invoices([(customer, '2026-10-01', 100.0), (other, '2020-01-01', 100.0), (other, '2026-11-20', 100.0)])
        done, remaining = self._run()
        self.assertEqual((done, remaining), (2, 0))
        first = self.History.search([('partner_id', 'in', (customer | other).ids)])
        self.assertEqual(sorted(first.mapped(lambda h: (h.partner_id.name, h.old_stage, h.new_stage))),
                         [("Mover", False, 'new'), ("Steady", False, 'regular')])
        self.assertEqual(set(first.mapped('reason')), {'recompute'})

        self.env.invalidate_all()
        self.env.ref('custmgmt_addon.ir_cron_lifecycle')
        with self.assertQueryCount(6):  # the job lock, the facts, what is stored, the company: no write
            done, remaining = self._run()
        self.assertEqual((done, remaining), (0, 0))
        self.assertEqual(self.History.search_count([('partner_id', 'in', (customer | other).ids)]), 2)

        # seven months later, without invoices: dormant; the run date is the history date
        with freeze_time('2027-06-24'):
            self._run(today='2027-06-24')
        change = self.History.search([('partner_id', '=', customer.id)], limit=1)
        self.assertEqual((change.old_stage, change.new_stage, change.reason, change.date),
                         ('new', 'dormant', 'recompute', fields.Date.to_date('2027-06-24')))
        self.assertEqual(change.last_invoice_date, fields.Date.to_date('2026-10-01'))
        self.assertEqual(customer.with_company(self.company).custmgmt_lifecycle_history_count, 2)

    def test_cron_is_daily_and_reports_progress(self):
        self._invoices([(self._customer("Cron Co"), '2026-11-01', 100.0)])
        cron = self.env.ref('custmgmt_addon.ir_cron_lifecycle')
        self.assertEqual((cron.interval_number, cron.interval_type), (1, 'days'))
        progress = self.env['ir.cron.progress'].sudo().create({'cron_id': cron.id, 'remaining': 0, 'done': 0})
        self.env['custmgmt.lifecycle.engine'].with_context(ir_cron_progress_id=progress.id)._cron_run()
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(self.company.custmgmt_lifecycle_last_run_date, fields.Date.to_date(TODAY))

    def test_interrupted_run_resumes_and_run_now_finishes(self):
        customers = [self._customer(f"Batch {i}") for i in range(5)]
        self._invoices([(partner, '2026-11-01', 100.0) for partner in customers])
        Partner = self.env['res.partner'].with_company(self.company)
        with patch('odoo.addons.custmgmt_addon.models.custmgmt_lifecycle_engine.LIFECYCLE_WRITE_BATCH', 2):
            done, remaining = self.env['custmgmt.lifecycle.engine']._run(
                self.company, today=fields.Date.to_date(TODAY), max_seconds=0)
            self.assertEqual((done, remaining), (2, 3))
            settings = self.env['res.config.settings'].with_user(self.sysadmin).create({})
            settings.action_custmgmt_run_lifecycle()
        self.assertEqual(Partner.search_count([('custmgmt_lifecycle_stage', '=', 'new')]), 5)
        self.assertEqual(self.History.search_count([('partner_id', 'in', [p.id for p in customers])]), 5)

    def test_run_now_is_for_managers_and_one_run_at_a_time(self):
        admin_only = new_test_user(self.env, login='cm_sys_only', groups='base.group_user,base.group_system',
                                   company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        with self.assertRaises(AccessError):
            self.env['res.config.settings'].with_user(admin_only).create({}).action_custmgmt_run_lifecycle()
        with self._job_held('custmgmt_addon.ir_cron_lifecycle') as cron:
            triggers = self._triggers(cron)
            self.env['custmgmt.lifecycle.engine']._cron_run()
            self._assert_retriggered(cron, triggers)

    # ------------------------------------------------------------------
    # the lost mark, Managers only
    # ------------------------------------------------------------------

    def test_manager_marks_lost_and_the_run_keeps_it(self):
        customer = self._customer("Gone Co", user_id=self.salesman.id)
        self._invoices([(customer, '2026-11-01', 100.0)])
        self._run()
        wizard = Form(self.env['custmgmt.lifecycle.lost.wizard'].with_user(self.manager)
                      .with_context(default_partner_id=customer.id))
        wizard.reason = "Bought by a competitor"
        wizard.save().action_confirm()
        partner = customer.with_company(self.company)
        self.assertEqual((partner.custmgmt_lifecycle_stage, partner.custmgmt_lifecycle_locked), ('lost', True))
        manual = self.History.search([('partner_id', '=', customer.id), ('reason', '=', 'manual')])
        self.assertEqual((manual.old_stage, manual.new_stage, manual.note, manual.user_id),
                         ('new', 'lost', "Bought by a competitor", self.manager))
        # a new invoice does not bring it back while marked
        self._invoices([(customer, '2026-11-20', 100.0)])
        self.assertEqual(self._run(), (1, 0), "the last invoice date moves, the stage stays")
        self.assertEqual(partner.custmgmt_lifecycle_stage, 'lost')
        # lifting the mark: the next run stages it again
        partner.with_user(self.manager).action_custmgmt_lifecycle_unlock()
        self._run()
        self.assertEqual((partner.custmgmt_lifecycle_stage, partner.custmgmt_lifecycle_locked), ('new', False))
        with self.assertRaises(ValidationError):
            partner.with_user(self.manager).write({'custmgmt_lifecycle_locked': True})

    def test_only_managers_set_the_stage_on_every_path(self):
        customer = self._customer("Mine", user_id=self.salesman.id)
        Partner = self.env['res.partner'].with_user(self.salesman).with_company(self.company)
        mine = customer.with_user(self.salesman).with_company(self.company)
        for vals in ({'custmgmt_lifecycle_locked': True, 'custmgmt_lifecycle_lock_reason': "x"},
                     {'custmgmt_lifecycle_stage': 'regular'}, {'custmgmt_trading_now': True}):
            with self.assertRaises(AccessError):
                mine.write(vals)
            with self.assertRaises(AccessError):
                Partner.create(dict({'name': "New"}, **vals))
        with self.assertRaises(AccessError):
            Partner.with_context(default_custmgmt_lifecycle_stage='lost').create({'name': "Ctx"})
        with self.assertRaises(AccessError):
            self.env['custmgmt.lifecycle.lost.wizard'].with_user(self.salesman).create(
                {'partner_id': customer.id, 'reason': "x"})
        # import
        result = Partner.load(['.id', 'custmgmt_lifecycle_locked', 'custmgmt_lifecycle_lock_reason'],
                              [[str(customer.id), '1', "x"]])
        self.assertTrue(result['messages'])
        self.assertFalse(mine.custmgmt_lifecycle_locked)
        # RPC is the same write: a Manager may
        customer.with_user(self.manager).write({'custmgmt_lifecycle_locked': True,
                                                'custmgmt_lifecycle_lock_reason': "Closed down"})
        self.assertEqual(mine.custmgmt_lifecycle_stage, 'lost')
        # a copy by a User copies no stage
        self.assertFalse(mine.copy().custmgmt_lifecycle_stage)

    # ------------------------------------------------------------------
    # access, companies, the win-back list
    # ------------------------------------------------------------------

    def test_read_access_and_history_of_own_customers(self):
        mine = self._customer("Mine", user_id=self.salesman.id)
        theirs = self._customer("Theirs", user_id=self.manager.id)
        self._invoices([(mine, '2026-11-01', 100.0), (theirs, '2026-11-01', 100.0)])
        self._run()
        self.assertEqual(mine.with_user(self.salesman).with_company(self.company).custmgmt_lifecycle_stage, 'new')
        self.assertEqual(theirs.with_user(self.manager).with_company(self.company).custmgmt_lifecycle_stage, 'new')
        with self.assertRaises(AccessError):
            mine.with_user(self.plain_user).custmgmt_lifecycle_stage  # noqa: B018
        History = self.History.with_user(self.salesman)
        self.assertEqual(History.search([('partner_id', 'in', (mine | theirs).ids)]).partner_id, mine)
        self.assertEqual(self.History.with_user(self.manager)
                         .search([('partner_id', 'in', (mine | theirs).ids)]).partner_id, mine | theirs)

    def test_per_company_values(self):
        company_2 = self.setup_other_company()['company']
        company_2.write({'custmgmt_lifecycle_dormant_months': 1, 'custmgmt_lifecycle_lost_months': 2})
        customer = self._customer("Both")
        self._invoices([(customer, '2026-10-01', 100.0), (customer, '2026-10-01', 100.0, {'company': company_2})])
        self._order(customer, confirm=True, company=company_2)
        self._run(self.company | company_2)
        one, two = customer.with_company(self.company), customer.with_company(company_2)
        self.assertEqual((one.custmgmt_lifecycle_stage, one.custmgmt_trading_now), ('new', False))
        self.assertEqual((two.custmgmt_lifecycle_stage, two.custmgmt_trading_now), ('dormant', True))
        self.assertEqual(self.History.search([('partner_id', '=', customer.id)]).company_id,
                         self.company | company_2)
        # a mark in one company is not one in the other
        one.with_user(self.manager).write({'custmgmt_lifecycle_locked': True,
                                           'custmgmt_lifecycle_lock_reason': "Closed the branch"})
        self.assertFalse(two.custmgmt_lifecycle_locked)
        # a user of the first company does not read the other company's history
        self.assertEqual(self.History.with_user(self.manager).search([('partner_id', '=', customer.id)]).company_id,
                         self.company)

    def test_win_back_list_is_dormant_a_and_b_customers(self):
        was_a, was_c, active_a, ordering = (self._customer(name) for name in ("Was A", "Was C", "Active A", "Ordering"))
        self._invoices([(was_a, '2026-04-01', 100.0), (was_c, '2026-04-01', 100.0), (active_a, '2026-11-01', 100.0),
                        (ordering, '2026-04-01', 100.0)])
        self._order(ordering, confirm=True)  # dormant by its invoices, but trading now: nothing to win back
        # what the monthly tier recompute recorded: A until it stopped buying, then C
        self.env['custmgmt.tier.history'].sudo().create([
            {'partner_id': was_a.id, 'company_id': self.company.id, 'old_tier': 'a', 'new_tier': 'c',
             'date': '2026-09-01', 'reason': 'recompute'},
            {'partner_id': was_c.id, 'company_id': self.company.id, 'old_tier': False, 'new_tier': 'c',
             'date': '2026-03-01', 'reason': 'recompute'},
        ])
        for partner, tier in ((was_a, 'c'), (was_c, 'c'), (active_a, 'a'), (ordering, 'a')):
            partner.with_company(self.company).sudo().write({'custmgmt_tier': tier})
        self._run()
        self.assertEqual(was_a.with_company(self.company).custmgmt_peak_tier, 'a')
        self.assertEqual(self._stage(ordering), 'dormant')
        win_back = self.env.ref('custmgmt_addon.res_partner_filter_dormant_a_b')
        self.assertEqual(win_back.action_id.id, self.env.ref('custmgmt_addon.custmgmt_customer_action').id)
        found = self.env['res.partner'].with_user(self.manager).with_company(self.company).search(
            safe_eval(win_back.domain))
        self.assertEqual(found, was_a)

    def test_chinese_stage_names(self):
        self._load_chinese()
        field = self.env['res.partner']._fields['custmgmt_lifecycle_stage']
        for lang, expected in (('zh_CN', ['未来客户', '新客户', '老客户', '休眠客户', '流失客户']),
                               ('zh_TW', ['未來客戶', '新客戶', '老客戶', '休眠客戶', '流失客戶'])):
            labels = dict(field._description_selection(self.env(context={'lang': lang})))
            self.assertEqual([labels[key] for key in ('prospect', 'new', 'regular', 'dormant', 'lost')], expected)
            trading = self.env['res.partner'].with_context(lang=lang)._fields['custmgmt_trading_now']
            self.assertEqual(trading._description_string(self.env(context={'lang': lang})),
                             {'zh_CN': '正在交易', 'zh_TW': '正在交易'}[lang])



@tagged('post_install', '-at_install')
class TestLifecycleDemo(TransactionCase):
    """The demo customers have stages at install (the job runs there as the
    daily action would). Runs on a database installed with the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref('custmgmt_addon.demo_lifecycle_customer_dormant', raise_if_not_found=False):
            raise SkipTest("the database has no demo data")
        cls.company = cls.env.ref('base.main_company')

    def _partner(self, xmlid, login='cm_manager'):
        user = self.env['res.users'].search([('login', '=', login)])
        return self.env.ref(f'custmgmt_addon.{xmlid}').with_user(user).with_company(self.company)

    def test_demo_customers_have_their_stages(self):
        expected = {
            'demo_customer_01': ('regular', False), 'demo_customer_03': ('regular', True),
            'demo_customer_10': ('new', False), 'demo_lifecycle_customer_dormant': ('dormant', False),
            'demo_lifecycle_customer_lost': ('lost', False), 'demo_lifecycle_customer_prospect': ('prospect', False),
            'demo_customer_20': ('lost', False),
        }
        for xmlid, (stage, trading) in expected.items():
            partner = self._partner(xmlid, login='salesperson')
            self.assertEqual((partner.custmgmt_lifecycle_stage, partner.custmgmt_trading_now), (stage, trading), xmlid)
        self.assertTrue(self._partner('demo_customer_20').custmgmt_lifecycle_locked)
        win_back = self.env.ref('custmgmt_addon.res_partner_filter_dormant_a_b')
        found = self._partner('demo_customer_01').search(safe_eval(win_back.domain))
        self.assertEqual(found, self._partner('demo_lifecycle_customer_dormant'))
        # the demo data is what a run on the install day gives: a run today writes nothing new
        # (unless the install was on another day)
        self.assertEqual(self.env['custmgmt.lifecycle.engine']._run(self.company, today=self.company.sudo()
                                                                     .custmgmt_lifecycle_last_run_date), (0, 0))
