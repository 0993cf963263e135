from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_visit import ServiceCommon

TODAY = date(2026, 11, 24)  # a Tuesday
MONDAY, WEDNESDAY = '0', '2'


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestVisitSchedule(ServiceCommon):

    def _activities(self, visits):
        return self.env['mail.activity'].search([('res_model', '=', 'custmgmt.visit'), ('res_id', 'in', visits.ids)])

    def test_cron_plans_due_visits_once(self):
        created = self._plan()
        a, b, c = (self._planned(p) for p in (self.cust_a, self.cust_b, self.cust_c))
        # never visited: due now, planned on the customer's weekday within the next 7 days
        self.assertEqual(a.date, date(2026, 11, 30))
        self.assertEqual(a.visit_time, 9.5)
        self.assertEqual(b.date, date(2026, 11, 25))
        self.assertEqual(c.date, TODAY)
        # who visits: salesperson, plus the team leader for A and B
        self.assertEqual(a.visitor_ids, self.salesman | self.leader)
        self.assertEqual(b.visitor_ids, self.salesman | self.leader)
        self.assertEqual(c.visitor_ids, self.salesman)
        self.assertEqual((a.user_id, c.user_id), (self.salesman, self.salesman))
        self.assertTrue(all(v.is_scheduled for v in a | b | c))
        self.assertEqual(self._planned(self.cust_other).visitor_ids, self.other)
        self.assertFalse(self._planned(self.opted_out), "opted out of visits")
        self.assertFalse(self._planned(self.untiered), "no tier, no cadence")
        # an activity per visitor, due on the visit date
        activities = self._activities(a)
        self.assertEqual(activities.user_id, self.salesman | self.leader)
        self.assertEqual(set(activities.mapped('date_deadline')), {date(2026, 11, 30)})
        self.assertEqual(activities.activity_type_id, self.env.ref('custmgmt_addon.mail_activity_type_visit'))
        # idempotent
        visits = self.env['custmgmt.visit'].search_count([])
        activities = self.env['mail.activity'].search_count([])
        self.assertEqual(self._plan(), 0)
        self.assertEqual(self.env['custmgmt.visit'].search_count([]), visits)
        self.assertEqual(self.env['mail.activity'].search_count([]), activities)
        self.assertEqual(created, len(self.env['custmgmt.visit'].search([('is_scheduled', '=', True)])))

    def test_never_visited_is_due_from_the_day_it_was_tiered(self):
        self.env['custmgmt.tier.history'].sudo().create({
            'partner_id': self.cust_b.id, 'company_id': self.company.id, 'old_tier': False, 'new_tier': 'b',
            'date': '2026-10-01', 'reason': 'recompute'})
        b = self.cust_b.with_company(self.company)
        self.assertEqual(b.custmgmt_next_visit_date, date(2026, 10, 7), "its first Wednesday after being tiered")
        self.assertTrue(b.custmgmt_visit_overdue)
        self.assertIn(self.cust_b, self.env['res.partner'].with_company(self.company).search(
            [('custmgmt_visit_overdue', '=', True)]))
        self._plan()
        self.assertEqual(self._planned(self.cust_b).date, date(2026, 11, 25), "planned on its next Wednesday")

    def test_other_planned_visits_do_not_hold_the_routine_one(self):
        self._visit(self.cust_c, '2027-02-01', state='planned', kind='collection')
        self._plan()
        self.assertEqual(self._planned(self.cust_c).date, TODAY)
        self.assertEqual(self._planned(self.cust_c, kind='collection').date, date(2027, 2, 1))

    def test_visit_time_is_an_hour_of_the_day(self):
        with self.assertRaises(ValidationError):  # Odoo's: in a savepoint, rolled back as the request would be
            self.cust_a.with_user(self.salesman).custmgmt_visit_time = 25
        self.cust_a.invalidate_recordset()
        self.assertEqual(self.cust_a.custmgmt_visit_time, 9.5, "the refused value is not saved")
        with self.assertRaisesRegex(ValidationError, "hour of the day"):
            self._visit(self.cust_b, '2026-11-25', state='planned', visit_time=-1)

    def test_moved_or_cancelled_visit_takes_its_activities_and_meeting_along(self):
        self._plan()
        visit = self._planned(self.cust_b).with_user(self.salesman)
        visit.action_schedule_meeting()
        event = visit.event_id
        visit.date = '2026-12-02'
        self.assertEqual(set(self._activities(visit).mapped('date_deadline')), {date(2026, 12, 2)})
        self.assertEqual(event.start.date(), date(2026, 12, 2))
        visit.action_cancel()
        self.assertFalse(self._activities(visit))
        self.assertFalse(event.active, "no longer in the visitors' calendars")

    def test_cron_waits_for_the_horizon(self):
        self._visit(self.cust_c, '2026-11-10')  # due 10 Dec: beyond 7 days
        self._visit(self.cust_b, '2026-11-18')  # due 2 Dec: 8 days ahead
        self._visit(self.cust_a, '2026-11-16')  # due 23 Nov: overdue, planned on its next Monday
        self._plan()
        self.assertFalse(self._planned(self.cust_c))
        self.assertFalse(self._planned(self.cust_b))
        self.assertEqual(self._planned(self.cust_a).date, date(2026, 11, 30))
        self._plan(date(2026, 11, 25))
        self.assertEqual(self._planned(self.cust_b).date, date(2026, 12, 2))
        self.assertFalse(self._planned(self.cust_c))

    def test_done_visit_closes_activities_and_moves_the_cadence(self):
        self._plan()
        visit = self._planned(self.cust_c)
        visit.with_user(self.salesman).write({'info_stock': "Low on rods", 'next_steps': "Send samples"})
        visit.with_user(self.salesman).action_done()
        self.assertFalse(self._activities(visit), "its activities are done")
        customer = self.cust_c.with_company(self.company)
        self.assertEqual(customer.custmgmt_last_visit_date, TODAY)
        self.assertEqual(customer.custmgmt_next_visit_date, date(2026, 12, 24))
        self.assertEqual(self._plan(), 0)

    def test_cancelled_visit_is_planned_again(self):
        self._plan()
        visit = self._planned(self.cust_c)
        visit.with_user(self.salesman).action_cancel()
        self.assertFalse(self._activities(visit))
        self._plan()
        self.assertEqual(len(self._planned(self.cust_c)), 1)

    def test_top_management_visits_for_a_only(self):
        self._plan()
        top = self._planned(self.cust_a, 'top_management')
        self.assertEqual(top.date, date(2026, 11, 30))
        self.assertEqual(top.user_id, self.boss)
        self.assertEqual(top.visitor_ids, self.boss | self.salesman)
        self.assertEqual(self._activities(top).activity_type_id,
                         self.env.ref('custmgmt_addon.mail_activity_type_top_visit'))
        for customer in (self.cust_b, self.cust_c, self.opted_out):
            self.assertFalse(self._planned(customer, 'top_management'))
        # every 90 days from the last one
        top.info_market = "A competitor cut prices"
        top.action_done()
        self.assertEqual(self.cust_a.with_company(self.company).custmgmt_next_top_visit_date, date(2027, 2, 22))
        self.assertEqual(self._plan(), 0)
        # a routine visit does not reset the top-management cadence
        self.assertEqual(len(self._planned(self.cust_a)), 1)

    def test_top_management_due_after_its_interval(self):
        self._visit(self.cust_a, '2026-09-01', kind='top_management', user=self.manager)  # +90 = Mon 30 Nov
        self._visit(self.cust_a, '2026-11-23', kind='collection')  # any other done visit counts as routine
        self._plan()
        self.assertEqual(self._planned(self.cust_a, 'top_management').date, date(2026, 11, 30))
        self.assertEqual(self._planned(self.cust_a).date, date(2026, 11, 30), "weekly, on Mondays")
        self._visit(self.cust_a, '2026-06-01', kind='top_management', user=self.manager)
        self.assertEqual(self.cust_a.with_company(self.company).custmgmt_next_top_visit_date, date(2026, 11, 30),
                         "the last top-management visit counts, not an older one")
        self.company.custmgmt_top_visit_days = 0
        self._planned(self.cust_a, 'top_management').action_cancel()
        self.assertEqual(self._plan(), 0, "no top-management visits when the interval is 0")

    def test_team_leader_stands_in_for_top_management(self):
        self.company.custmgmt_top_visitor_ids = False
        self._plan()
        top = self._planned(self.cust_a, 'top_management')
        self.assertEqual(top.visitor_ids, self.leader | self.salesman)
        self.assertEqual(top.user_id, self.leader)

    def test_day_view_in_route_order(self):
        for customer, route in ((self.cust_a, 3), (self.cust_b, 1), (self.cust_c, 2)):
            customer.write({'custmgmt_visit_weekday': MONDAY, 'custmgmt_route_sequence': route})
        self.company.custmgmt_top_visit_days = 0
        self._plan()
        with freeze_time('2026-11-30'):
            action = self.env.ref('custmgmt_addon.custmgmt_visit_today_action')
            self.assertIn('search_default_my_today', action.context)
            day = self.env['custmgmt.visit'].with_user(self.salesman).search([
                ('date', '=', date(2026, 11, 30)), '|', ('user_id', '=', self.salesman.id),
                ('visitor_ids', 'in', self.salesman.id), ('state', '=', 'planned')])
            self.assertEqual(day.partner_id.mapped('name'), ["Benxi Alloys", "Chaoyang Tools", "Anshan Steel"])

    def test_scheduled_action(self):
        cron = self.env.ref('custmgmt_addon.ir_cron_plan_visits')
        self.assertEqual((cron.interval_number, cron.interval_type), (1, 'days'))
        self.assertEqual(self.env['custmgmt.visit.planner']._cron_plan_visits(), 5)  # A, B, C, other's C, A's top-management
        self.assertEqual(self.env['custmgmt.visit.planner']._cron_plan_visits(), 0)

    def test_report_done_versus_due(self):
        self._visit(self.cust_a, '2026-11-02')
        self._visit(self.cust_a, '2026-11-09')
        self._visit(self.cust_c, '2026-10-06')
        Report = self.env['custmgmt.service.report'].with_user(self.manager)
        november = Report.search([('partner_id', '=', self.cust_a.id), ('month', '=', '2026-11-01')])
        self.assertEqual((november.customer_tier, november.visits_due, november.visits_done), ('a', 3.0, 2))
        self.assertEqual(november.user_id, self.salesman)
        self.assertEqual(november.team_id, self.team)
        groups = Report._read_group([('month', '=', '2026-10-01'), ('customer_tier', '=', 'c')],
                                    ['user_id'], ['visits_due:sum', 'visits_done:sum'])
        due, done = {user: (due, done) for user, due, done in groups}[self.salesman]
        self.assertAlmostEqual(float(due), 1.03)  # 31 days / 30
        self.assertEqual(done, 1)
        self.assertEqual(Report.search_count([('partner_id', '=', self.untiered.id)]), 0)


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestVisitAccess(ServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env['custmgmt.visit.planner']._custmgmt_plan_visits(cls.company, today=TODAY)
        cls.company_2 = cls.setup_other_company()['company']
        # visits of company 2 go to users of company 2
        cls.salesman_2 = new_test_user(
            cls.env, login='cm_salesman_v2', groups='base.group_user,sales_team.group_sale_salesman',
            company_id=cls.company_2.id, company_ids=[Command.set(cls.company_2.ids)])
        cls.foreign = cls._tiered_customer("Foreign Co", 'c', company=cls.company_2, company_id=cls.company_2.id,
                                           user_id=cls.salesman_2.id)
        cls.env['custmgmt.visit.planner']._custmgmt_plan_visits(cls.company_2, today=TODAY)
        cls.foreign_visit = cls.env['custmgmt.visit'].search([('partner_id', '=', cls.foreign.id)])

    def _visible(self, user):
        return self.env['custmgmt.visit'].with_user(user).search([]).partner_id

    def test_salesperson_sees_and_plans_visits_of_own_customers(self):
        self.assertEqual(self._visible(self.salesman), self.cust_a | self.cust_b | self.cust_c)
        self.assertEqual(self._visible(self.other), self.cust_other)
        other_visit = self._planned(self.cust_other)
        with self.assertRaises(AccessError):
            other_visit.with_user(self.salesman).read(['date'])
        visit = self._visit(self.cust_c, '2026-11-27', state='planned')
        self.assertEqual(visit.user_id, self.salesman)
        visit.with_user(self.salesman).write({'purpose_ids': [Command.link(
            self.env.ref('custmgmt_addon.visit_purpose_receivables').id)]})

    def test_visitor_and_team_leader(self):
        # the leader visits A and B with the salesman, and sees C through the team
        self.assertEqual(self._visible(self.leader), self.cust_a | self.cust_b | self.cust_c)
        # a top manager sees the visits he makes
        self.assertEqual(self._visible(self.boss), self.cust_a)

    def test_manager_sees_all_of_own_companies(self):
        self.assertEqual(self._visible(self.manager),
                         self.cust_a | self.cust_b | self.cust_c | self.cust_other)
        with self.assertRaises(AccessError):
            self.foreign_visit.with_user(self.manager).read(['date'])
        self.assertTrue(self.foreign_visit)
        manager_2 = new_test_user(
            self.env, login='cm_manager_2', groups='base.group_user,custmgmt_addon.group_custmgmt_manager',
            company_id=self.company_2.id, company_ids=[Command.set(self.company_2.ids)])
        self.assertEqual(self._visible(manager_2), self.foreign)

    def test_outsiders_see_nothing(self):
        for model in ('custmgmt.visit', 'custmgmt.survey.plan', 'custmgmt.service.report'):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.cust_a.with_user(self.plain_user).read(['custmgmt_next_visit_date'])
        # purposes are configured by Managers
        with self.assertRaises(AccessError):
            self.env['custmgmt.visit.purpose'].with_user(self.salesman).create({'name': 'Golf'})
        self.env['custmgmt.visit.purpose'].with_user(self.manager).create({'name': 'Golf'})


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestVisitScheduleQueries(ServiceCommon):

    def _count(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = function()
        self.env.flush_all()
        return result, self.cr.sql_log_count - before

    def test_planning_does_not_query_per_customer(self):
        few, _few_queries = self._count(self._plan)
        for index in range(40):
            self._tiered_customer(f"Bulk {index}", 'b', user_id=self.salesman.id)
        many, many_queries = self._count(lambda: self._plan(date(2026, 11, 24)))
        self.assertEqual((few, many), (5, 40))
        self.assertLess(many_queries, 40, "grouped reads and batched creates, not a query per customer")

    def test_survey_planning_does_not_query_per_customer(self):
        Plan = self.env['custmgmt.survey.plan']
        counts = []
        for day, bulk in ((date(2026, 10, 1), 40), (date(2027, 1, 1), 80)):
            for index in range(bulk - len(counts) * 40):
                self._tiered_customer(f"Bulk {day} {index}", 'a', user_id=self.salesman.id)
            planned, queries = self._count(lambda day=day: Plan._custmgmt_plan_surveys(self.company, today=day))
            counts.append((planned, queries))
        # monthly: every customer; quarterly: the A and B customers (3 of the setup's 5, and the bulk)
        self.assertEqual([planned for planned, _queries in counts], [45 + 43, 85 + 83])
        self.assertLessEqual(counts[1][1], counts[0][1], "grouped reads and batched creates, not a query per customer")


@tagged('post_install', '-at_install')
class TestServiceInChinese(ServiceCommon):
    """Salespeople who read the UI in Chinese see the seeds' service terms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese()

    def test_visit_labels_survey_and_errors(self):
        Visit = self.env['custmgmt.visit']
        for lang, top, route, survey in (('zh_CN', '高层互访', '路序', '客户意见调查表'),
                                         ('zh_TW', '高層互訪', '路序', '客戶意見調查表')):
            kinds = dict(Visit.with_context(lang=lang).fields_get(['kind'])['kind']['selection'])
            self.assertEqual(kinds['top_management'], top)
            labels = self.env['res.partner'].with_context(lang=lang).fields_get(['custmgmt_route_sequence'])
            self.assertEqual(labels['custmgmt_route_sequence']['string'], route)
            self.assertEqual(self.env.ref('custmgmt_addon.survey_customer_opinion').with_context(lang=lang).title,
                             survey)
        visit = self._visit(self.cust_b, '2026-11-24')
        with self.assertRaisesRegex(UserError, "已完成的拜访保留其报告"):
            visit.with_user(self.manager).with_context(lang='zh_CN').unlink()
