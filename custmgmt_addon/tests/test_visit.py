from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CustmgmtCommon

TODAY = date(2026, 11, 24)  # a Tuesday
MONDAY, WEDNESDAY = '0', '2'


class ServiceCommon(CustmgmtCommon):
    """A sales team (leader + the salesman), a top manager, and customers of
    each tier with their visit weekday and route order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {'company_id': cls.company.id, 'company_ids': [Command.set(cls.company.ids)]}
        cls.leader = new_test_user(cls.env, login='cm_leader', name='Lee Leader',
                                   groups='base.group_user,sales_team.group_sale_salesman', **common)
        cls.other = new_test_user(cls.env, login='cm_other', name='Otto Other',
                                  groups='base.group_user,sales_team.group_sale_salesman', **common)
        cls.boss = new_test_user(cls.env, login='cm_boss', name='Bea Boss',
                                 groups='base.group_user,sales_team.group_sale_salesman', **common)
        cls.team = cls.env['crm.team'].create({'name': 'East', 'user_id': cls.leader.id, 'company_id': cls.company.id})
        cls.env['crm.team.member'].create({'crm_team_id': cls.team.id, 'user_id': cls.salesman.id})
        cls.company.sudo().custmgmt_top_visitor_ids = cls.boss
        salesman = {'user_id': cls.salesman.id}
        cls.cust_a = cls._tiered_customer("Anshan Steel", 'a', custmgmt_visit_weekday=MONDAY, custmgmt_visit_time=9.5,
                                          custmgmt_route_sequence=2, **salesman)
        cls.cust_b = cls._tiered_customer("Benxi Alloys", 'b', custmgmt_visit_weekday=WEDNESDAY,
                                          custmgmt_route_sequence=1, **salesman)
        cls.cust_c = cls._tiered_customer("Chaoyang Tools", 'c', custmgmt_route_sequence=3, **salesman)
        cls.opted_out = cls._tiered_customer("Dalian Quiet", 'a', custmgmt_visit_opt_out=True, **salesman)
        cls.untiered = cls._customer("Erdao Prospect", **salesman)
        cls.cust_other = cls._tiered_customer("Fushun Castings", 'c', user_id=cls.other.id)

    def _visit(self, customer, day, state='done', kind='routine', user=None, **vals):
        visit = self.env['custmgmt.visit'].with_user(user or self.salesman).create(dict({
            'partner_id': customer.id, 'date': day, 'kind': kind}, **vals))
        if state == 'done':
            if not any(fname.startswith('info_') or fname in ('next_steps', 'amount_collected') for fname in vals):
                visit.write({'next_steps': 'Call in two weeks'})  # a done visit records something
            visit.action_done()
        return visit

    def _plan(self, day=TODAY):
        return self.env['custmgmt.visit.planner']._custmgmt_plan_visits(self.company, today=day)

    def _planned(self, customer, kind='routine'):
        return self.env['custmgmt.visit'].search([
            ('partner_id', '=', customer.id), ('state', '=', 'planned'), ('kind', '=', kind)])


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestVisitCadence(ServiceCommon):

    def test_due_date_per_tier_and_weekday(self):
        self._visit(self.cust_a, '2026-11-16')   # Monday; +10 days = Thu 26th, back to Monday 23rd
        self._visit(self.cust_b, '2026-11-18')   # Wednesday; +15 days = Thu 3 Dec, back to Wed 2 Dec
        self._visit(self.cust_c, '2026-10-20')   # no weekday; +30 days = 19 Nov
        self._visit(self.cust_c, '2026-09-01')   # an older visit does not count
        a, b, c = (p.with_company(self.company) for p in (self.cust_a, self.cust_b, self.cust_c))
        self.assertEqual(a.custmgmt_last_visit_date, date(2026, 11, 16))
        self.assertEqual(a.custmgmt_next_visit_date, date(2026, 11, 23))
        self.assertEqual(b.custmgmt_next_visit_date, date(2026, 12, 2))
        self.assertEqual(c.custmgmt_next_visit_date, date(2026, 11, 19))
        self.assertEqual([a.custmgmt_visit_overdue, b.custmgmt_visit_overdue, c.custmgmt_visit_overdue],
                         [True, False, True])
        self.assertEqual(c.custmgmt_visit_count, 2)
        # never visited: due now, on its weekday; A customers also owe a top-management visit
        self.assertEqual(a.custmgmt_next_top_visit_date, date(2026, 11, 30))
        self.assertFalse(b.custmgmt_next_top_visit_date)
        self.assertEqual(self.cust_other.with_company(self.company).custmgmt_next_visit_date, TODAY)
        # no cadence without a tier or for a customer who takes no visits
        self.assertFalse(self.untiered.with_company(self.company).custmgmt_next_visit_date)
        self.assertFalse(self.opted_out.with_company(self.company).custmgmt_next_visit_date)
        # the policy sets the interval
        self.company.custmgmt_visit_days_c = 40
        c.invalidate_recordset()
        self.assertEqual(c.custmgmt_next_visit_date, date(2026, 11, 29))
        self.assertFalse(c.custmgmt_visit_overdue)

    def test_policy_in_settings(self):
        form = Form(self.env['res.config.settings'].with_user(self.sysadmin))
        self.assertEqual((form.custmgmt_visit_days_a, form.custmgmt_visit_days_b, form.custmgmt_visit_days_c,
                          form.custmgmt_top_visit_days), (10, 15, 30, 90))
        self.assertEqual((form.custmgmt_visit_leader_a, form.custmgmt_visit_leader_b, form.custmgmt_visit_leader_c),
                         (True, True, False))
        form.custmgmt_visit_days_a = 7
        form.custmgmt_visit_leader_b = False
        settings = form.save()
        settings.execute()
        self.assertEqual(self.company.custmgmt_visit_days_a, 7)
        self.assertEqual(self.company._custmgmt_service_policy()['leader_tiers'], ('a',))
        action = settings.action_custmgmt_plan_visits()
        self.assertIn("5 visits planned", action['params']['message'])
        self.assertEqual(self._planned(self.cust_b).visitor_ids, self.salesman, "B without the team leader now")
        with self.assertRaises(ValidationError):
            self.company.custmgmt_visit_days_b = -1

    def test_overdue_filter(self):
        self._visit(self.cust_a, '2026-11-16')
        self._visit(self.cust_b, '2026-11-18')
        self._visit(self.cust_c, '2026-10-20')
        Partner = self.env['res.partner'].with_user(self.manager).with_company(self.company)
        overdue = Partner.search([('custmgmt_visit_overdue', '=', True)])
        self.assertIn(self.cust_a, overdue)
        self.assertIn(self.cust_c, overdue)
        self.assertNotIn(self.cust_b, overdue)
        self.assertNotIn(self.opted_out, overdue)
        self.assertNotIn(self.untiered, overdue)
        not_overdue = Partner.search([('custmgmt_visit_overdue', '!=', True), ('id', 'in', (
            self.cust_a | self.cust_b | self.untiered).ids)])
        self.assertEqual(not_overdue, self.cust_b | self.untiered)

    def test_done_visit_keeps_its_report(self):
        visit = self._visit(self.cust_b, '2026-11-24', state='planned', info_praise="Fast deliveries",
                            amount_collected=5000.0)
        visit.with_user(self.salesman).action_done()
        self.assertEqual(visit.state, 'done')
        self.assertEqual(visit.customer_tier, 'b')
        with self.assertRaises(UserError):
            visit.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            visit.with_user(self.salesman).write({'state': 'cancelled'})
        self.assertEqual(visit.info_praise, "Fast deliveries")
        # a planned visit may go
        self._visit(self.cust_b, '2026-11-30', state='planned').with_user(self.salesman).unlink()

    def test_visit_done_early_is_dated_today(self):
        visit = self._visit(self.cust_a, '2026-11-30', state='planned', info_hopes="Faster quotes")
        visit.action_done()
        self.assertEqual(visit.date, TODAY)

    def test_form_and_calendar_meeting(self):
        form = Form(self.env['custmgmt.visit'].with_user(self.salesman))
        form.partner_id = self.cust_a
        self.assertEqual(form.visit_time, 9.5, "the customer's preferred time")
        visit = form.save()
        self.assertEqual(visit.user_id, self.salesman)
        self.assertEqual(visit.visitor_ids, self.salesman)
        self.assertEqual(visit.route_sequence, 2)
        visit.with_user(self.salesman).action_schedule_meeting()
        event = visit.event_id
        self.assertTrue(event)
        self.assertEqual((event.res_model, event.res_id), ('custmgmt.visit', visit.id))
        self.assertIn(self.salesman.partner_id, event.partner_ids)
