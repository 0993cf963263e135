import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_visit import ServiceCommon

HIGH = (5, 4, 4, 5, 4, 5)   # 4.5
LOW = (2, 1, 2, 2, 3, 2)    # 2.0


@tagged('post_install', '-at_install')
class TestSurveyPlans(ServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref('custmgmt_addon.survey_customer_opinion')
        cls.tiered = cls.cust_a | cls.cust_b | cls.cust_c | cls.opted_out | cls.cust_other

    def _run(self, day):
        with freeze_time(day):
            return self.env['custmgmt.survey.plan']._custmgmt_plan_surveys(self.company, today=date.fromisoformat(day))

    def _plans(self, kind=None, **domain):
        search = [('company_id', '=', self.company.id)] + [(key, '=', value) for key, value in domain.items()]
        if kind:
            search.append(('kind', '=', kind))
        return self.env['custmgmt.survey.plan'].search(search)

    def _answer(self, customer, scores, user=None):
        """Fill in the opinion form about ``customer`` as ``user`` would from the archive."""
        action = customer.with_user(user or self.salesman).action_custmgmt_record_survey()
        token = action['url'].split('answer_token=')[1]
        answer = self.env['survey.user_input'].sudo().search([('access_token', '=', token)])
        questions = self.survey.question_ids.sorted('sequence')
        for question, score in zip(questions.filtered(lambda q: q.question_type == 'simple_choice'), scores):
            answer._save_lines(question, question.suggested_answer_ids.filtered(lambda a: a.answer_score == score).id)
        for question in questions.filtered(lambda q: q.question_type == 'text_box'):
            answer._save_lines(question, f"About {question.title}")
        answer._mark_done()
        return answer

    def _follow_ups(self, customer):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', customer.id),
            ('activity_type_id', '=', self.env.ref('custmgmt_addon.mail_activity_type_survey_follow_up').id)])

    # ------------------------------------------------------------------
    # planning
    # ------------------------------------------------------------------

    def test_monthly_and_quarterly_per_tier(self):
        self.assertEqual(self._run('2026-02-01'), 8, "February, and the first quarter under way")
        monthly = self._plans('monthly')
        self.assertEqual(monthly.partner_id, self.tiered, "every active tiered customer, each month")
        self.assertEqual(self._plans('quarterly').mapped('period_start'), [date(2026, 1, 1)] * 3)
        self.assertEqual(monthly.filtered(lambda p: p.partner_id == self.cust_a).user_id, self.salesman)
        self.assertEqual(monthly.filtered(lambda p: p.partner_id == self.cust_other).user_id, self.other)
        self.assertEqual(set(monthly.mapped('deadline')), {date(2026, 2, 28)})
        activity = monthly.filtered(lambda p: p.partner_id == self.cust_c).activity_id
        self.assertEqual(activity.activity_type_id, self.env.ref('custmgmt_addon.mail_activity_type_phone_survey'))
        self.assertEqual((activity.res_model, activity.res_id, activity.user_id), ('res.partner', self.cust_c.id,
                                                                                  self.salesman))
        # once per customer and period, whatever the number of runs
        self.assertEqual(self._run('2026-02-01'), 0)
        self.assertEqual(self._run('2026-02-15'), 0)
        self.assertEqual(len(self._plans()), 8)

        self.assertEqual(self._run('2026-04-01'), 8)
        april = self._plans('monthly', period_start=date(2026, 4, 1))
        self.assertEqual(april.partner_id, self.tiered)
        quarterly = self._plans('quarterly', period_start=date(2026, 4, 1))
        self.assertEqual(quarterly.partner_id, self.cust_a | self.cust_b | self.opted_out, "A and B only")
        self.assertEqual(quarterly.user_id, self.leader, "by the sales team leader")
        self.assertEqual(set(quarterly.mapped('deadline')), {date(2026, 6, 30)})
        self.assertEqual(quarterly.activity_id.activity_type_id,
                         self.env.ref('custmgmt_addon.mail_activity_type_quarterly_survey'))
        self.assertEqual(self._run('2026-04-01'), 0)
        self.assertEqual(self._run('2026-04-02'), 0)

    def test_missed_period_start_is_caught_up(self):
        self.assertEqual(self._run('2026-06-30'), 8, "a first run mid-period plans the month and quarter under way")
        self.assertEqual(self._run('2026-07-03'), 8, "1 July was missed: July and Q3 are planned on the 3rd")
        self.assertEqual(len(self._plans(period_start=date(2026, 7, 1))), 8)
        self.assertEqual(self._run('2026-07-04'), 0)

    def test_customer_tiered_mid_period_is_planned_by_the_next_run(self):
        self._run('2026-07-01')
        late = self._tiered_customer("Late Key Co", 'b', user_id=self.salesman.id)
        self.assertEqual(self._run('2026-07-02'), 2)
        self.assertEqual(set(self._plans(partner_id=late.id).mapped('kind')), {'monthly', 'quarterly'})

    def test_quarterly_without_team_leader_goes_to_the_salesperson(self):
        lone = self._tiered_customer("Lone Key Co", 'b', user_id=self.other.id)
        self._run('2026-07-01')
        self.assertEqual(self._plans('quarterly', partner_id=lone.id).user_id, self.other)

    def test_untiered_and_archived_customers_are_not_surveyed(self):
        archived = self._tiered_customer("Closed Co", 'c', user_id=self.salesman.id)
        archived.active = False
        self._run('2026-02-01')
        self.assertFalse(self._plans(partner_id=self.untiered.id))
        self.assertFalse(self._plans(partner_id=archived.id))

    def test_scheduled_action(self):
        cron = self.env.ref('custmgmt_addon.ir_cron_plan_surveys')
        self.assertEqual((cron.interval_number, cron.interval_type), (1, 'days'))
        with freeze_time('2026-10-01'):
            self.assertEqual(self.env['custmgmt.survey.plan']._cron_plan_surveys(), 8)
            self.assertEqual(self.env['custmgmt.survey.plan']._cron_plan_surveys(), 0)

    # ------------------------------------------------------------------
    # answers
    # ------------------------------------------------------------------

    def test_seeded_opinion_survey(self):
        self.assertTrue(self.survey.custmgmt_opinion)
        self.assertEqual(self.survey.access_mode, 'token')
        choices = self.survey.question_ids.filtered(lambda q: q.question_type == 'simple_choice')
        self.assertEqual(len(choices), 6)
        for question in choices:
            self.assertEqual(question.suggested_answer_ids.mapped('answer_score'), [1, 2, 3, 4, 5])
        self.assertEqual(len(self.survey.question_ids.filtered(lambda q: q.question_type == 'text_box')), 3)
        action = self.cust_b.with_user(self.salesman).action_custmgmt_record_survey()
        self.assertTrue(action['url'].startswith(f'/survey/start/{self.survey.access_token}?answer_token='))
        answer = self.env['survey.user_input'].sudo().search([], limit=1, order='id desc')
        # the salesperson fills it in on the phone: the survey's own form accepts him, the answer is the customer's
        self.assertEqual(answer.partner_id, self.salesman.partner_id)
        self.assertEqual(answer.custmgmt_partner_id, self.cust_b)
        self.assertEqual(answer.custmgmt_company_id, self.company)

    def test_answer_fulfils_the_plan_and_shows_on_the_archive(self):
        self._run('2026-02-01')
        plan = self._plans('monthly', partner_id=self.cust_b.id)
        activity = plan.activity_id
        with freeze_time('2026-02-10'):
            answer = self._answer(self.cust_b, HIGH)
            self.assertEqual(answer.custmgmt_satisfaction, 4.5)
            self.assertEqual((plan.state, plan.user_input_id), ('done', answer))
            self.assertFalse(activity.exists(), "the phone survey activity is done")
            self.assertFalse(self._follow_ups(self.cust_b))
            customer = self.cust_b.with_company(self.company)
            self.assertEqual((customer.custmgmt_satisfaction_latest, customer.custmgmt_satisfaction_avg,
                              customer.custmgmt_survey_count), (4.5, 4.5, 1))
            # the customer's chatter (read by every internal user) says where to look, not the score
            bodies = [str(message.body or '') for message in self.cust_b.message_ids]
            self.assertTrue(any("see the survey answers" in body for body in bodies), bodies)
            self.assertFalse([body for body in bodies if "4.5" in body], "no score in the customer's chatter")

    def test_leader_answer_fulfils_the_quarterly_plan(self):
        self._run('2026-04-01')
        with freeze_time('2026-04-20'):
            self._answer(self.cust_a, HIGH, user=self.leader)
        self.assertEqual(self._plans('quarterly', partner_id=self.cust_a.id).state, 'done')
        self.assertEqual(self._plans('monthly', partner_id=self.cust_a.id).state, 'planned')

    def test_low_score_follow_up_for_the_salesperson_manager(self):
        with freeze_time('2026-02-10'):
            answer = self._answer(self.cust_a, LOW)
        self.assertEqual(answer.custmgmt_satisfaction, 2.0)
        follow_up = self._follow_ups(self.cust_a)
        self.assertEqual(follow_up.user_id, self.leader, "the salesperson's team leader")
        self.assertNotIn("2.00", follow_up.summary, "no score in an activity every internal user reads")
        self.assertNotIn("2.00", follow_up.note or '')
        answer._custmgmt_after_done()
        self.assertEqual(len(self._follow_ups(self.cust_a)), 1, "once per answer")
        # just above the threshold: nothing
        self._answer(self.cust_b, (2, 2, 2, 2, 3, 3))
        self.assertFalse(self._follow_ups(self.cust_b))
        # no team: the salesperson follows up
        self._answer(self.cust_other, (1, 1, 1, 1, 1, 1), user=self.other)
        self.assertEqual(self._follow_ups(self.cust_other).user_id, self.other)

    def test_only_the_opinion_form_speaks_for_the_customer(self):
        self._run('2026-02-01')
        other_survey = self.env['survey.survey'].create({'title': 'Event feedback', 'access_mode': 'public'})
        contact = self.env['res.partner'].create({'name': 'Zhao Buyer', 'parent_id': self.cust_c.id})
        answer = other_survey._create_answer(partner=contact, check_attempts=False)
        answer._mark_done()
        self.assertFalse(answer.custmgmt_partner_id)
        self.assertEqual(self._plans('monthly', partner_id=self.cust_c.id).state, 'planned')
        self.assertEqual(self.survey.scoring_type, 'no_scoring', "an opinion is not a test the customer fails")

    def test_only_the_customers_surveyors_record_its_opinion(self):
        self._run('2026-04-01')
        with self.assertRaises(AccessError):
            self.cust_b.with_user(self.other).action_custmgmt_record_survey()
        self.assertFalse(self.env['survey.user_input'].sudo().search([('custmgmt_partner_id', '=', self.cust_b.id)]))
        for user in (self.salesman, self.leader, self.manager):
            self.assertIn('answer_token=', self.cust_b.with_user(user).action_custmgmt_record_survey()['url'])

    def test_survey_officer_of_another_company_does_not_read_the_opinion(self):
        answer = self._answer(self.cust_b, HIGH)
        company_2 = self.setup_other_company()['company']
        officer = new_test_user(self.env, login='cm_officer_2', name='Olly Officer',
                                groups='base.group_user,survey.group_survey_manager',
                                company_id=company_2.id, company_ids=[Command.set(company_2.ids)])
        local = new_test_user(self.env, login='cm_officer_1', name='Ling Officer',
                              groups='base.group_user,survey.group_survey_manager',
                              company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        Answer = self.env['survey.user_input']
        self.assertFalse(Answer.with_user(officer).search([('id', '=', answer.id)]))
        self.assertEqual(Answer.with_user(local).search([('id', '=', answer.id)]), answer)

    def test_customer_answering_online_is_linked(self):
        contact = self.env['res.partner'].create({'name': 'Wang Buyer', 'parent_id': self.cust_c.id,
                                                  'email': 'wang@example.com'})
        answer = self.survey.sudo()._create_answer(partner=contact, check_attempts=False)
        self.assertEqual(answer.custmgmt_partner_id, self.cust_c)
        internal = self.survey.sudo()._create_answer(user=self.manager, check_attempts=False)
        self.assertFalse(internal.custmgmt_partner_id, "an employee answering for himself is no customer")

    def test_twelve_month_average(self):
        with freeze_time('2025-10-15'):
            self._answer(self.cust_c, (1, 1, 1, 1, 1, 1))
        with freeze_time('2026-06-15'):
            self._answer(self.cust_c, (3, 3, 3, 3, 3, 3))
        with freeze_time('2026-11-10'):
            self._answer(self.cust_c, (5, 5, 5, 5, 5, 5))
        with freeze_time('2026-11-24'):
            customer = self.cust_c.with_company(self.company)
            self.assertEqual(customer.custmgmt_satisfaction_latest, 5.0)
            self.assertEqual(customer.custmgmt_satisfaction_avg, 4.0, "October 2025 is more than 12 months ago")
            self.assertEqual(customer.custmgmt_survey_count, 3)
            report = self.env['custmgmt.service.report'].with_user(self.manager)
            groups = dict(report._read_group([('survey_count', '>', 0)], ['month:month'], ['satisfaction:avg']))
            self.assertEqual(len(groups), 2, "the report covers the last 12 months")
            june = report.search([('partner_id', '=', self.cust_c.id), ('month', '=', '2026-06-01')])
            self.assertEqual((june.customer_tier, june.survey_count, june.satisfaction), ('c', 1, 3.0))

    def test_survey_plan_access(self):
        self._run('2026-04-01')
        Plan = self.env['custmgmt.survey.plan']
        self.assertEqual(Plan.with_user(self.salesman).search([]).partner_id,
                         self.cust_a | self.cust_b | self.cust_c | self.opted_out)
        self.assertEqual(Plan.with_user(self.other).search([]).partner_id, self.cust_other)
        self.assertEqual(Plan.with_user(self.leader).search([]).partner_id,
                         self.cust_a | self.cust_b | self.cust_c | self.opted_out)
        self.assertEqual(Plan.with_user(self.manager).search([]).partner_id, self.tiered)
        with self.assertRaises(AccessError):
            Plan.with_user(self.salesman).search([], limit=1).write({'state': 'done'})


@tagged('post_install', '-at_install')
class TestOpinionFormInSurveyUI(HttpCase):
    """The salesperson fills in the opinion form in the survey module's own pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref('custmgmt_addon.survey_customer_opinion')
        cls.salesman = new_test_user(cls.env, login='cm_http_sales', name='Hao Sales',
                                     groups='base.group_user,sales_team.group_sale_salesman')
        cls.leader = new_test_user(cls.env, login='cm_http_leader', name='Lin Leader',
                                   groups='base.group_user,sales_team.group_sale_salesman')
        team = cls.env['crm.team'].create({'name': 'North', 'user_id': cls.leader.id})
        cls.env['crm.team.member'].create({'crm_team_id': team.id, 'user_id': cls.salesman.id})
        cls.customer = cls.env['res.partner'].create({'name': 'Harbin Wire', 'is_company': True,
                                                      'user_id': cls.salesman.id})
        cls.customer.sudo().write({'custmgmt_tier': 'a'})

    def test_salesperson_fills_in_the_opinion_form(self):
        self.authenticate('cm_http_sales', 'cm_http_sales')
        action = self.customer.with_user(self.salesman).action_custmgmt_record_survey()
        page = self.url_open(action['url'])
        self.assertEqual(page.status_code, 200)
        answer = self.env['survey.user_input'].sudo().search([('custmgmt_partner_id', '=', self.customer.id)])
        self.assertIn(f'/survey/{self.survey.access_token}/{answer.access_token}', page.url)
        csrf_token = re.search(r'csrf_token.+value="([a-f0-9]{40}o[0-9]*)"', page.text).group(1)
        base = f'{self.survey.get_base_url()}/survey/%s/{self.survey.access_token}/{answer.access_token}'
        begin = self.opener.post(url=base % 'begin', json={})
        self.assertIn('How satisfied are you with the quality of our products?', begin.text)
        post = {'csrf_token': csrf_token, 'token': answer.access_token}
        for question in self.survey.question_ids:
            if question.question_type == 'simple_choice':
                post[str(question.id)] = str(question.suggested_answer_ids.filtered(
                    lambda a: a.answer_score == 2).id)
            else:
                post[str(question.id)] = "Deliveries are late"
        response = self.opener.post(url=base % 'submit', json={'params': post})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(answer.state, 'done')
        self.assertEqual(answer.custmgmt_satisfaction, 2.0)
        self.assertIn("Deliveries are late", answer.user_input_line_ids.mapped('value_text_box'))
        follow_up = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', self.customer.id),
            ('activity_type_id', '=', self.env.ref('custmgmt_addon.mail_activity_type_survey_follow_up').id)])
        self.assertEqual(follow_up.user_id, self.leader)
