from unittest import SkipTest

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

ROLES = ('salesperson', 'team_leader', 'cm_manager', 'finance', 'complaint_handler')


@tagged('post_install', '-at_install')
class TestDemoData(TransactionCase):
    """The demo data walks through every flow, as each demo user sees it.
    Runs on a database installed with the demo data (skipped without it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref('custmgmt_addon.demo_user_salesperson', raise_if_not_found=False):
            raise SkipTest("the database has no demo data")
        cls.users = {role: cls.env.ref(f'custmgmt_addon.demo_user_{role}') for role in ROLES}
        cls.company = cls.env.ref('base.main_company')

    def _as(self, role, model):
        return self.env[model].with_user(self.users[role]).with_company(self.company)

    def test_each_role_logs_in_with_the_password_in_the_readme(self):
        for role, user in self.users.items():
            # the README lists each demo user with its login as password
            user.with_user(user)._check_credentials(
                {'type': 'password', 'login': user.login, 'password': user.login}, {'interactive': False})
        groups = {
            'salesperson': 'sales_team.group_sale_salesman',
            'team_leader': 'sales_team.group_sale_salesman_all_leads',
            'cm_manager': 'custmgmt_addon.group_custmgmt_manager',
            'finance': 'custmgmt_addon.group_custmgmt_finance',
            'complaint_handler': 'custmgmt_addon.group_custmgmt_complaint',
        }
        for role, group in groups.items():
            self.assertTrue(self.users[role].has_group(group), role)
        self.assertFalse(self.users['complaint_handler'].has_group('custmgmt_addon.group_custmgmt_user'))
        self.assertEqual(self.users['salesperson'].sale_team_id.user_id, self.users['team_leader'])

    def test_salesperson_walks_through_own_customers(self):
        salesperson = self.users['salesperson']
        customers = self._as('salesperson', 'res.partner').search([('user_id', '=', salesperson.id)])
        self.assertGreaterEqual(len(customers), 6)
        self.assertGreaterEqual(len(set(customers.mapped('custmgmt_tier')) - {False}), 2, "customers of several tiers")
        visits = self._as('salesperson', 'custmgmt.visit').search([])
        self.assertEqual(visits.partner_id, customers, "every customer of the salesperson has visits, no other")
        done = visits.filtered(lambda visit: visit.state == 'done')
        self.assertGreaterEqual(len(done), 4)
        self.assertTrue(all(visit.purpose_ids and visit.next_steps for visit in done), "done visits have a report")
        planned = visits.filtered(lambda visit: visit.state == 'planned')
        self.assertTrue(planned.filtered('is_scheduled'), "the daily action planned visits")
        self.assertTrue(planned.activity_ids.filtered(lambda activity: activity.user_id == salesperson))
        self.assertTrue(self._as('salesperson', 'custmgmt.survey.plan').search([('user_id', '=', salesperson.id)]))
        objections = self._as('salesperson', 'custmgmt.objection').search([])
        disputes = self._as('salesperson', 'custmgmt.dispute').search([])
        self.assertGreaterEqual(len(objections), 2)
        self.assertEqual(set(objections.mapped('user_id')), {salesperson})
        self.assertGreaterEqual(len(disputes), 2)
        self.assertEqual(set(disputes.mapped('user_id')), {salesperson})
        settled = disputes.filtered(lambda dispute: dispute.state == 'settled')
        self.assertTrue(settled and settled.evidence_count and settled.outcome)
        self.assertTrue(self._as('salesperson', 'custmgmt.complaint').search([]))

    def test_survey_answers_on_the_opinion_form(self):
        answers = self._as('cm_manager', 'survey.user_input').search([('custmgmt_partner_id', '!=', False)])
        self.assertGreaterEqual(len(answers), 4)
        self.assertEqual(answers.survey_id, self.env.ref('custmgmt_addon.survey_customer_opinion'))
        self.assertTrue(all(answer.state == 'done' and answer.custmgmt_satisfaction for answer in answers))
        self.assertTrue(all(answer.user_input_line_ids for answer in answers))
        self.assertIn(self.users['team_leader'], answers.create_uid, "the team leader's quarterly survey")
        self.assertTrue(self.env['custmgmt.survey.plan'].search([('user_input_id', 'in', answers.ids)]),
                        "an answer fulfilled its survey plan")
        # a low score gave the team leader a follow-up
        follow_up = self.env.ref('custmgmt_addon.mail_activity_type_survey_follow_up')
        self.assertTrue(self.env['mail.activity'].search([('activity_type_id', '=', follow_up.id),
                                                          ('user_id', '=', self.users['team_leader'].id)]))
        customer = answers.custmgmt_partner_id.filtered(lambda partner: partner.user_id == self.users['salesperson'])[0]
        self.assertTrue(customer.with_user(self.users['salesperson']).with_company(self.company)
                        .custmgmt_satisfaction_latest)

    def test_other_roles(self):
        # the team leader sees the team's visits; the manager sees every visit
        self.assertEqual(self._as('team_leader', 'custmgmt.visit').search([]),
                         self._as('salesperson', 'custmgmt.visit').search([]))
        self.assertGreater(self._as('cm_manager', 'custmgmt.visit').search_count([]),
                           self._as('salesperson', 'custmgmt.visit').search_count([]))
        self.assertTrue(self._as('cm_manager', 'custmgmt.visit').search([('kind', '=', 'top_management'),
                                                                          ('state', '=', 'done')]))
        # Finance collects for the company
        self.assertEqual(self.company.custmgmt_collection_user_id, self.users['finance'])
        # the complaint handler sees the complaints routed to production, and nothing of visits
        production = self.env.ref('custmgmt_addon.department_production')
        complaints = self._as('complaint_handler', 'custmgmt.complaint').search([])
        self.assertTrue(complaints)
        self.assertEqual(complaints.department_id, production)
        with self.assertRaises(AccessError):
            self._as('complaint_handler', 'custmgmt.visit').search([])
