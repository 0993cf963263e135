from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustmgmtCreditCommon

RUN_DAY = '2026-10-05'  # evaluates 2026-Q3 (previous period 2026-Q2)
HIGH = (5, 4, 4, 5, 4, 5)  # opinion form average 4.5
JUDGED_4 = dict.fromkeys([f'capability_{i}' for i in range(1, 7)] + [f'cooperation_{i}' for i in range(1, 5)]
                         + [f'adaptability_{i}' for i in range(1, 6)], '4')


@tagged('post_install', '-at_install')
class TestEvaluation(CustmgmtCreditCommon):
    """Hand-computed figures (standard cost 60 per unit, price 100, visit
    cost 100, complaint cost 250, equal weights):

    - A1 (A, salesman): Q2 1,000; Q3 1,500 (cost 900) paid 10 days late,
      2 visits, 1 complaint, one opinion form at 4.5
    - A2 (A, owner): Q3 500 (cost 300) unpaid and overdue, 1 dispute
    - B (B, salesman): Q2 2,000; Q3 1,000 (cost 600) paid on time
    - C (C, out of scope): Q3 300
    Company: Q2 3,000, Q3 3,300 (+10 %). Tier A: average sales 1,000,
    net profit (150 + 200) / 2,000 = 17.5 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({'custmgmt_eval_visit_cost': 100.0, 'custmgmt_eval_complaint_cost': 250.0})
        cls.product_a.with_company(cls.company).standard_price = 60.0
        cls.a1 = cls._tiered_customer("Eval A1", 'a', user_id=cls.salesman.id)
        cls.a2 = cls._tiered_customer("Eval A2", 'a', user_id=cls.owner.id)
        cls.b = cls._tiered_customer("Eval B", 'b', user_id=cls.salesman.id)
        cls.c = cls._tiered_customer("Eval C", 'c', user_id=cls.salesman.id)
        cls.inv_a1_q2 = cls._sell(cls.a1, '2026-05-10', 10)
        cls.inv_a1 = cls._sell(cls.a1, '2026-08-10', 15, due='2026-08-20')
        cls.inv_a2 = cls._sell(cls.a2, '2026-07-15', 5)
        cls._sell(cls.b, '2026-06-01', 20)
        cls.inv_b = cls._sell(cls.b, '2026-09-01', 10)
        cls._sell(cls.c, '2026-08-01', 3)
        cls.inv_b_q2 = cls.env['account.move'].search([('partner_id', '=', cls.b.id), ('invoice_date', '=', '2026-06-01')])
        cls._pay_on(cls.inv_a1_q2, '2026-05-10')  # on time, and before the period
        cls._pay_on(cls.inv_b_q2, '2026-06-01')
        cls._pay_on(cls.inv_a1, '2026-08-30')
        cls._pay_on(cls.inv_b, '2026-09-01')
        for day in ('2026-07-20', '2026-09-10'):
            cls.env['custmgmt.visit'].create({'partner_id': cls.a1.id, 'date': day, 'user_id': cls.salesman.id,
                                              'company_id': cls.company.id, 'state': 'done', 'info_sales': 'fine'})
        # planned, not done: no cost to serve
        cls.env['custmgmt.visit'].create({'partner_id': cls.a1.id, 'date': '2026-09-20', 'user_id': cls.salesman.id,
                                          'company_id': cls.company.id})
        for day in ('2026-08-15 10:00:00', '2026-06-15 10:00:00'):  # the second is before the period
            cls.env['custmgmt.complaint'].create({'subject': 'Late', 'partner_id': cls.a1.id,
                                                  'company_id': cls.company.id, 'date_received': day})
        dispute = cls.env['custmgmt.dispute'].create({'name': 'Short delivery', 'partner_id': cls.a2.id,
                                                      'company_id': cls.company.id})
        # opened in the period (the database stamps create_date, which freezegun does not reach)
        dispute.flush_recordset()
        cls.env.cr.execute("UPDATE custmgmt_dispute SET create_date = '2026-08-01 09:00:00' WHERE id = %s",
                           [dispute.id])
        dispute.invalidate_recordset()
        with freeze_time('2026-09-15 09:00:00'):
            cls._answer(cls.a1, HIGH)
        cls.Evaluation = cls.env['custmgmt.evaluation']

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def _sell(cls, partner, day, quantity, due=None, move_type='out_invoice', company=None):
        """A posted invoice of ``quantity`` × product A at 100, no tax."""
        move = cls.env['account.move'].with_company(company or cls.company).create({
            'move_type': move_type, 'partner_id': partner.id, 'invoice_date': day, 'date': day,
            'invoice_date_due': due or day,
            'invoice_line_ids': [Command.create({'product_id': cls.product_a.id, 'quantity': quantity,
                                                 'price_unit': 100.0, 'tax_ids': []})],
        })
        move.action_post()
        return move

    @classmethod
    def _pay_on(cls, invoice, day):
        cls.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=invoice.ids).create({'payment_date': day})._create_payments()

    @classmethod
    def _answer(cls, customer, scores):
        survey = cls.env.ref('custmgmt_addon.survey_customer_opinion')
        answer = survey.sudo()._create_answer(user=cls.salesman, check_attempts=False,
                                              custmgmt_partner_id=customer.id, custmgmt_company_id=cls.company.id)
        questions = survey.question_ids.sorted('sequence')
        for question, score in zip(questions.filtered(lambda q: q.question_type == 'simple_choice'), scores):
            answer._save_lines(question, question.suggested_answer_ids.filtered(lambda a: a.answer_score == score).id)
        answer._mark_done()
        return answer

    def _run(self, day=RUN_DAY, company=None):
        with freeze_time(day):
            return self.env['custmgmt.evaluation.engine']._run(company or self.company,
                                                               today=date.fromisoformat(day))

    def _of(self, partner, period='2026-Q3'):
        return self.Evaluation.search([('partner_id', '=', partner.id), ('period', '=', period)])

    def _fill_and_submit(self, evaluation, user=None, **extra):
        evaluation.with_user(user or self.salesman).write(dict(JUDGED_4, **extra))
        evaluation.with_user(user or self.salesman).action_submit()

    # ------------------------------------------------------------
    # measured dimensions
    # ------------------------------------------------------------

    def test_standard_cost_stamped_at_posting(self):
        self.assertEqual(self.inv_a1.invoice_line_ids.custmgmt_unit_cost, 60.0)
        self.assertEqual(self.inv_a1.custmgmt_cost_signed, 900.0)
        # a later change of the standard cost does not rewrite what was invoiced
        self.product_a.with_company(self.company).standard_price = 80.0
        refund = self._sell(self.a1, '2026-09-05', 2, move_type='out_refund')
        self.assertEqual(refund.custmgmt_cost_signed, -160.0)
        self.assertEqual(self.inv_a1.custmgmt_cost_signed, 900.0)

    def test_measured_dimensions_against_hand_computed_values(self):
        done, remaining = self._run()
        self.assertEqual((done, remaining), (3, 0))
        self.assertFalse(self._of(self.c), "C customers are not in the default scope")
        a1, a2, b = self._of(self.a1), self._of(self.a2), self._of(self.b)
        self.assertEqual((a1.date_from, a1.date_to, a1.period_kind, a1.state, a1.customer_tier),
                         (date(2026, 7, 1), date(2026, 9, 30), 'quarter', 'draft', 'a'))
        # sales: 1,500 against a tier average of 1,000 (75) and 1,000 before (75)
        self.assertRecordValues(a1, [{
            'sales_amount': 1500.0, 'prev_sales_amount': 1000.0, 'tier_avg_sales': 1000.0, 'sales_score': 75.0,
            # profit: 1,500 − 900 − (2 visits × 100 + 1 complaint × 250) = 150, 10 % against 17.5 %
            'cost_amount': 900.0, 'visit_count': 2, 'complaint_count': 1, 'cost_to_serve': 450.0,
            'net_profit': 150.0, 'profit_rate': 10.0, 'tier_profit_rate': 17.5, 'profit_score': 28.6,
            # growth +50 % against the company's +10 %: 90
            'growth_rate': 50.0, 'company_growth_rate': 10.0, 'growth_score': 90.0, 'growth_scored': True,
            'company_sales': 3300.0, 'company_prev_sales': 3000.0,
            # cooperation: paid 10 days late, nothing overdue, no dispute: 80
            'payment_delay': 10.0, 'overdue_amount': 0.0, 'dispute_count': 0, 'cooperation_measured_score': 80.0,
            # satisfaction: 4.5 → 87.5, one complaint −10
            'survey_count': 1, 'survey_avg': 4.5, 'satisfaction_measured_score': 77.5,
        }])
        # judged parts not filled in yet: the total of what is scored, (75 + 28.6 + 80 + 90 + 77.5) / 5
        self.assertAlmostEqual(a1.total, 70.2, places=1)
        self.assertEqual(a1.grade, 'good')
        self.assertRecordValues(a2, [{
            'sales_amount': 500.0, 'sales_score': 25.0, 'net_profit': 200.0, 'profit_rate': 40.0,
            'profit_score': 100.0, 'growth_scored': False, 'payment_delay': 0.0, 'overdue_amount': 500.0,
            'dispute_count': 1, 'cooperation_measured_score': 30.0, 'survey_count': 0,
            'satisfaction_measured_score': 75.0,
        }])
        self.assertIn("previous period", a2.growth_reason)
        self.assertRecordValues(b, [{
            'tier_avg_sales': 1000.0, 'sales_score': 37.5, 'profit_score': 50.0, 'growth_rate': -50.0,
            'growth_score': 0.0, 'cooperation_measured_score': 100.0,
        }])
        self.assertIn("1,500.00", a1.sales_reason)

    # ------------------------------------------------------------
    # flow
    # ------------------------------------------------------------

    def test_fill_submit_approve_then_read_only(self):
        self._run()
        a1 = self._of(self.a1)
        activity = a1.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline), (self.salesman, date(2026, 10, 19)))
        with self.assertRaises(UserError):
            a1.with_user(self.salesman).action_submit()  # criteria missing
        self._fill_and_submit(a1, satisfaction_adjustment=10, capability_note="Strong team")
        self.assertEqual(a1.state, 'submitted')
        self.assertFalse(a1.activity_ids, "the fill-in activity is done")
        # judged: 4 everywhere = 75; cooperation (80 + 75) / 2; satisfaction 77.5 + 10
        self.assertRecordValues(a1, [{'capability_score': 75.0, 'adaptability_score': 75.0,
                                      'cooperation_score': 77.5, 'satisfaction_score': 87.5}])
        self.assertAlmostEqual(a1.total, (75 + 28.6 + 75 + 77.5 + 75 + 90 + 87.5) / 7, places=1)
        with self.assertRaises(UserError):
            a1.with_user(self.salesman).write({'capability_1': '5'})  # submitted: no longer editable
        with self.assertRaises(AccessError):
            a1.with_user(self.salesman).action_approve()
        # a late invoice of the period: measured again at approval, then frozen
        self._sell(self.a1, '2026-09-29', 5)
        with freeze_time('2026-10-10'):
            a1.with_user(self.manager).action_approve()
        self.assertRecordValues(a1, [{'state': 'approved', 'approved_by_id': self.manager.id,
                                      'approved_date': date(2026, 10, 10), 'sales_amount': 2000.0}])
        self.assertTrue(a1.message_ids.filtered(lambda m: 'Approved:' in str(m.body)))
        # read-only on every path
        for user in (self.salesman, self.manager):
            with self.assertRaises(UserError):
                a1.with_user(user).write({'capability_1': '5'})
        with self.assertRaises(UserError):
            a1.sudo().write({'sales_amount': 1.0})
        with self.assertRaises(UserError):
            a1.sudo().unlink()
        with mute_logger('odoo.sql_db'):
            result = self.Evaluation.with_user(self.manager).load(['.id', 'capability_1'], [[str(a1.id), '1']])
        self.assertFalse(result['ids'])
        self.assertTrue(any(m['type'] == 'error' for m in result['messages']))
        self.assertEqual(a1.capability_1, '4')
        self._sell(self.a1, '2026-09-29', 5)
        self._run('2026-10-12')
        self.assertEqual(a1.sales_amount, 2000.0, "approved figures are frozen")
        self.assertEqual(self._of(self.b).sales_amount, 1000.0)
        # the archive shows the latest approved grade
        partner = self.a1.with_user(self.salesman)
        self.assertEqual((partner.custmgmt_eval_grade, partner.custmgmt_eval_period, partner.custmgmt_eval_count),
                         (a1.grade, '2026-Q3', 1))
        self.assertAlmostEqual(partner.custmgmt_eval_total, a1.total, places=1)
        action = partner.action_custmgmt_open_evaluations()
        self.assertEqual(self.Evaluation.with_user(self.salesman).search(action['domain']), a1)

    def test_send_back_with_a_comment(self):
        self._run()
        b = self._of(self.b)
        self._fill_and_submit(b)
        with self.assertRaises(UserError):
            b.with_user(self.manager).action_send_back()
        with self.assertRaises(AccessError):
            b.with_user(self.salesman).write({'return_comment': "I send it back myself"})
        b.with_user(self.manager).write({'return_comment': "Price policy: check the dumping report"})
        b.with_user(self.manager).action_send_back()
        self.assertEqual(b.state, 'draft')
        self.assertTrue(b.message_ids.filtered(lambda m: 'dumping report' in str(m.body)))
        self.assertEqual(b.activity_ids.user_id, self.salesman)
        b.with_user(self.salesman).write({'cooperation_3': '2'})
        b.with_user(self.salesman).action_submit()
        self.assertEqual(b.state, 'submitted')

    def test_drafts_refreshed_and_measured_fields_not_writable(self):
        self._run()
        a2 = self._of(self.a2)
        with self.assertRaises(AccessError):
            a2.with_user(self.owner).write({'sales_score': 100.0})
        for context in ({}, {'custmgmt_evaluation_flow': True}):
            with self.assertRaises(AccessError):
                a2.with_user(self.manager).with_context(**context).write({'state': 'approved'})
        with self.assertRaises(AccessError):
            self.Evaluation.with_user(self.manager).create({
                'partner_id': self.c.id, 'period': 'x', 'period_kind': 'quarter', 'date_from': '2026-07-01',
                'date_to': '2026-09-30'})
        self._pay_on(self.inv_a2, '2026-10-06')
        self.assertEqual(self._run('2026-10-07'), (1, 0))  # a2's overdue and delay changed
        self.assertEqual((a2.overdue_amount, a2.payment_delay), (0.0, 0.0))
        self.assertEqual(a2.cooperation_measured_score, 80.0)  # only the dispute left

    # ------------------------------------------------------------
    # the job: idempotent, catch-up, cron
    # ------------------------------------------------------------

    def test_idempotent_and_catch_up(self):
        self._run()
        count = self.Evaluation.search_count([])
        activities = self.env['mail.activity'].search_count([('res_model', '=', 'custmgmt.evaluation')])
        self.assertEqual(self._run(), (0, 0))
        self.assertEqual(self._run('2026-11-20'), (0, 0))
        self.assertEqual(self.Evaluation.search_count([]), count)
        self.assertEqual(self.env['mail.activity'].search_count([('res_model', '=', 'custmgmt.evaluation')]),
                         activities)
        # C becomes a key customer in November: caught up for 2026-Q3
        self.c.with_company(self.company).sudo().write({'custmgmt_tier': 'b'})
        self.assertEqual(self._run('2026-11-21'), (2, 0))  # C created, B measured again
        caught_up = self._of(self.c)
        self.assertEqual((caught_up.customer_tier, caught_up.sales_amount), ('b', 300.0))
        # tier B now has two customers: B's horizontal comparison moved, B refreshed
        self.assertEqual(self._of(self.b).tier_avg_sales, 650.0)
        # the scheduled action goes through the batch runner
        with freeze_time('2027-01-04 03:00:00'):
            self.env.ref('custmgmt_addon.ir_cron_evaluation').sudo().method_direct_trigger()
        q4 = self._of(self.a1, '2026-Q4')
        self.assertEqual(q4.previous_evaluation_id, self._of(self.a1))
        self.assertAlmostEqual(q4.previous_total, self._of(self.a1).total, places=1)
        self.assertAlmostEqual(q4.total_change, q4.total - q4.previous_total, places=1)

    def test_grade_fell(self):
        self._run()
        self.assertEqual(self._run('2027-01-04')[0], 3)
        q3, q4 = self._of(self.a1), self._of(self.a1, '2026-Q4')
        # Q4, nothing sold: sales (50 + 0) / 2 = 25, profit not scored (no sales, no cost to serve),
        # growth −100 % like the company: 50, cooperation 100, satisfaction 75: 62.5
        self.assertRecordValues(q4, [{'previous_evaluation_id': q3.id, 'sales_score': 25.0, 'profit_scored': False,
                                      'growth_score': 50.0, 'total': 62.5, 'grade': 'fair',
                                      'previous_grade': 'good', 'grade_fell': True}])
        self.assertAlmostEqual(q4.total_change, 62.5 - q3.total, places=1)
        saved = self.env.ref('custmgmt_addon.custmgmt_evaluation_filter_grade_fell')
        self.assertEqual(saved.domain, "[('grade_fell', '=', True)]")
        self.assertEqual(self.Evaluation.with_user(self.manager).search([('grade_fell', '=', True)]), q4)

    def test_policy_period_and_scope(self):
        self.company.write({'custmgmt_eval_period': 'year', 'custmgmt_eval_tier_c': True,
                            'custmgmt_eval_activity_days': 3})
        self.assertEqual(self._run('2027-01-03')[0], 4)
        year = self._of(self.a1, '2026')
        self.assertRecordValues(year, [{'date_from': date(2026, 1, 1), 'date_to': date(2026, 12, 31),
                                        'period_kind': 'year', 'sales_amount': 2500.0}])
        self.assertEqual(year.activity_ids.date_deadline, date(2027, 1, 6))
        self.assertEqual(self._of(self.c, '2026').customer_tier, 'c')

    # ------------------------------------------------------------
    # access and policy
    # ------------------------------------------------------------

    def test_access_per_group_and_company(self):
        self._run()
        company_2 = self.setup_other_company(name='Eval Two')['company']
        self.manager.write({'company_ids': [Command.link(company_2.id)]})
        other = self._tiered_customer("Eval Other", 'a', company=company_2, user_id=self.salesman.id)
        self._sell(other, '2026-08-01', 1, company=company_2)
        self._run(company=company_2)
        own = self.Evaluation.with_user(self.salesman).search([])
        self.assertEqual(own.partner_id, self.a1 | self.b)
        self.assertEqual(self.Evaluation.with_user(self.owner).search([]).partner_id, self.a2)
        self.assertEqual(self.Evaluation.with_user(self.manager).with_context(
            allowed_company_ids=[self.company.id]).search([]).partner_id, self.a1 | self.a2 | self.b)
        self.assertEqual(self.Evaluation.with_user(self.manager).with_context(
            allowed_company_ids=[self.company.id, company_2.id]).search([]).partner_id,
            self.a1 | self.a2 | self.b | other)
        with self.assertRaises(AccessError):
            self._of(self.a2).with_user(self.salesman).read(['total'])
        with self.assertRaises(AccessError):
            self.Evaluation.with_user(self.plain_user).search([])
        # judged parts: the salesperson or a Manager, in draft
        with self.assertRaises(AccessError):
            self._of(self.a2).with_user(self.salesman).write({'capability_1': '3'})
        self._of(self.a2).with_user(self.manager).write({'capability_1': '3'})
        with self.assertRaises(AccessError):
            self._of(self.a1).with_user(self.salesman).unlink()

    def test_weights_must_add_up_to_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 100; they add up to 105.71"):
            self.company.write({'custmgmt_eval_weight_sales': 20.0})
        with self.assertRaises(ValidationError):
            self.company.write({'custmgmt_eval_excellent_min': 60.0})
        weights = {'custmgmt_eval_weight_sales': 40.0, 'custmgmt_eval_weight_profit': 20.0,
                   'custmgmt_eval_weight_capability': 10.0, 'custmgmt_eval_weight_cooperation': 10.0,
                   'custmgmt_eval_weight_adaptability': 10.0, 'custmgmt_eval_weight_growth': 10.0,
                   'custmgmt_eval_weight_satisfaction': 0.0}
        settings = self.env['res.config.settings'].with_user(self.sysadmin).create(weights)
        settings.execute()
        self.assertEqual(self.company.custmgmt_eval_weight_sales, 40.0)
        self._run()
        a1 = self._of(self.a1)
        # growth scored, judged empty: (40×75 + 20×28.6 + 10×80 + 10×90) / 80
        self.assertAlmostEqual(a1.total, (40 * 75 + 20 * 28.6 + 10 * 80 + 10 * 90) / 80, places=1)
        # new weights apply to the evaluations not approved yet, not to approved ones
        b = self._of(self.b)
        self._fill_and_submit(b)
        b.with_user(self.manager).action_approve()
        b_total = b.total
        self.company.write(dict(weights, custmgmt_eval_weight_sales=10.0, custmgmt_eval_weight_profit=50.0))
        self.assertAlmostEqual(a1.total, (10 * 75 + 50 * 28.6 + 10 * 80 + 10 * 90) / 80, places=1)
        self.assertEqual(b.total, b_total)
        self.company.write({'custmgmt_eval_good_min': 75.0, 'custmgmt_eval_fair_min': 30.0})
        self.assertEqual(a1.grade, 'fair')
        with self.assertRaises(ValidationError):
            self.env['res.config.settings'].with_user(self.sysadmin).create(
                dict(weights, custmgmt_eval_weight_sales=50.0)).execute()
        self._load_chinese()
        with self.assertRaisesRegex(ValidationError, "合计为 100"):
            self.company.with_context(lang='zh_CN').write({'custmgmt_eval_weight_sales': 45.0})

    def test_chinese_terms(self):
        self._load_chinese()
        fields_zh = self.Evaluation.with_context(lang='zh_CN').fields_get(
            ['sales_score', 'profit_score', 'capability_score', 'cooperation_score', 'adaptability_score',
             'growth_score', 'satisfaction_score'], ['string'])
        self.assertEqual([fields_zh[f]['string'] for f in ('sales_score', 'profit_score', 'cooperation_score',
                                                            'adaptability_score', 'growth_score',
                                                            'satisfaction_score')],
                         ['对销售的贡献', '对利润的贡献', '配合程度', '适应能力', '对销售增长的贡献', '顾客满意度'])
        self.assertEqual(fields_zh['capability_score']['string'], '客户的能力')
        self.assertEqual(self.env['ir.model']._get('custmgmt.evaluation').with_context(lang='zh_CN').name,
                         '客户评估')


@tagged('post_install', '-at_install')
class TestEvaluationLeader(CustmgmtCreditCommon):
    """A user of another group cannot reach the evaluations at all."""

    def test_complaint_handler_has_no_access(self):
        handler = new_test_user(self.env, login='cm_eval_handler', groups='base.group_user,'
                                'custmgmt_addon.group_custmgmt_complaint', company_id=self.company.id)
        with self.assertRaises(AccessError):
            self.env['custmgmt.evaluation'].with_user(handler).search([])
