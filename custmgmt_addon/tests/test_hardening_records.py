"""Issue 11, access part: every finding as the user who must be refused, on
every path (create, write, copy, import, RPC, Form)."""
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import CustmgmtCommon
from .test_visit import TODAY, ServiceCommon


@tagged('post_install', '-at_install')
class TestDisputeGuards(CustmgmtCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Dispute Co", user_id=cls.salesman.id)

    def _dispute(self, **vals):
        return self.env['custmgmt.dispute'].with_user(self.salesman).create(dict({
            'name': 'Short delivery', 'partner_id': self.customer.id}, **vals))

    def _evidence(self, dispute):
        return self.env['ir.attachment'].with_user(self.salesman).create({
            'name': 'contract.pdf', 'raw': b'%PDF', 'res_model': dispute._name, 'res_id': dispute.id})

    def test_settled_only_with_evidence_and_outcome_on_every_path(self):
        with self.assertRaises(ValidationError):
            self._dispute(state='settled', outcome='Paid half')
        dispute = self._dispute(state='open')
        with self.assertRaises(ValidationError):
            dispute.write({'state': 'settled', 'outcome': 'Paid half'})
        # an empty document is no evidence
        self.env['ir.attachment'].with_user(self.salesman).create({
            'name': 'empty.pdf', 'raw': b'', 'res_model': dispute._name, 'res_id': dispute.id})
        with self.assertRaises(ValidationError):
            dispute.write({'state': 'settled', 'outcome': 'Paid half'})
        evidence = self._evidence(dispute)
        with self.assertRaises(ValidationError):
            dispute.write({'state': 'settled'})
        dispute.write({'state': 'settled', 'outcome': 'Paid half'})
        self.assertEqual(dispute.settled_date, date.today())
        with self.assertRaises(ValidationError):
            dispute.write({'outcome': ' '})
        # the evidence of a settled dispute is kept
        with self.assertRaises(UserError):
            evidence.with_user(self.salesman).unlink()
        with self.assertRaises(UserError):
            evidence.with_user(self.manager).write({'res_id': self._dispute().id})
        with self.assertRaises(UserError):
            evidence.with_user(self.manager).write({'raw': b''})
        # nor freed by cancelling or reopening the settled dispute
        for state in ('cancelled', 'open', 'draft'):
            with self.assertRaises(UserError, msg=state):
                dispute.with_user(self.manager).write({'state': state})
        self.assertTrue(evidence.exists())
        # import: the same constraints
        result = self.env['custmgmt.dispute'].with_user(self.salesman).load(
            ['name', 'partner_id/.id', 'state', 'outcome'], [['Imported', str(self.customer.id), 'settled', 'Ok']])
        self.assertFalse(result['ids'])

    def test_amounts_and_dates_in_range(self):
        with self.assertRaises(ValidationError):
            self._dispute(amount_disputed=-5.0)
        with self.assertRaises(ValidationError):
            self._dispute(settled_date='9999-12-31')


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestVisitGuards(ServiceCommon):

    def test_done_visit_keeps_its_date_and_needs_a_report(self):
        visit = self._visit(self.cust_b, '2026-11-24', state='planned')
        with self.assertRaises(ValidationError):
            visit.with_user(self.salesman).action_done()
        self.assertEqual(visit.state, 'planned')
        with self.assertRaises(ValidationError):
            visit.with_user(self.salesman).write({'state': 'done'})
        visit.with_user(self.salesman).write({'next_steps': 'Send samples'})
        visit.with_user(self.salesman).action_done()
        with self.assertRaises(UserError):
            visit.with_user(self.manager).write({'date': '2026-11-20'})
        with self.assertRaises(ValidationError):
            visit.with_user(self.salesman).write({'next_steps': ''})
        self.assertEqual(visit.date, TODAY)

    def test_dates_out_of_range_refused(self):
        Visit = self.env['custmgmt.visit'].with_user(self.salesman)
        for day in ('9999-12-31', '1899-12-31', '2030-01-01'):
            with self.assertRaises(ValidationError, msg=day):
                Visit.create({'partner_id': self.cust_b.id, 'date': day})
        form = Form(Visit)
        form.partner_id = self.cust_b
        form.date = date(9999, 12, 31)
        with self.assertRaises(ValidationError):
            form.save()
        with self.assertRaises(ValidationError):
            Visit.create({'partner_id': self.cust_b.id, 'date': '2026-11-24', 'amount_collected': -1.0})

    def test_stored_extreme_date_crashes_nothing(self):
        visit = self._visit(self.cust_b, '2026-11-24', state='planned', next_steps='Call back')
        visit.action_done()
        self.env.cr.execute("UPDATE custmgmt_visit SET date = '9999-12-31' WHERE id = %s", [visit.id])
        self.env.invalidate_all()
        customer = self.cust_b.with_company(self.company)
        self.assertFalse(customer.custmgmt_next_visit_date)
        self.assertEqual(customer.custmgmt_last_visit_date, date(9999, 12, 31))
        self.env['res.partner'].search([('custmgmt_visit_overdue', '=', True)])
        self._plan()
        Form(customer.with_user(self.salesman))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestVisitsAndSurveysStayInTheirCompany(ServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()['company']
        cls.manager_2 = new_test_user(
            cls.env, login='cm_manager_v2', groups='base.group_user,custmgmt_addon.group_custmgmt_manager',
            company_id=cls.company_2.id, company_ids=[Command.set(cls.company_2.ids)])
        # shared customer, tiered in company 2, whose salesperson works in company 1 only
        cls.shared = cls._tiered_customer("Shared Steel", 'b', company=cls.company_2, user_id=cls.salesman.id)

    def test_visits_of_company_2_go_to_its_users_only(self):
        Visit = self.env['custmgmt.visit'].with_user(self.manager_2).with_context(
            allowed_company_ids=self.company_2.ids)
        with self.assertRaises(ValidationError):
            Visit.create({'partner_id': self.shared.id, 'company_id': self.company_2.id, 'date': '2026-11-25',
                          'user_id': self.salesman.id, 'visitor_ids': [Command.set(self.salesman.ids)]})
        with self.assertRaises(ValidationError):
            Visit.create({'partner_id': self.shared.id, 'company_id': self.company_2.id, 'date': '2026-11-25',
                          'user_id': self.manager_2.id,
                          'visitor_ids': [Command.set((self.manager_2 | self.salesman).ids)]})
        self.env['custmgmt.visit.planner']._custmgmt_plan_visits(self.company_2, today=TODAY)
        visits = self.env['custmgmt.visit'].search([('company_id', '=', self.company_2.id)])
        self.assertFalse((visits.user_id | visits.visitor_ids) & self.salesman)

    def test_survey_plans_of_company_2_go_to_its_users_only(self):
        Plan = self.env['custmgmt.survey.plan']
        Plan._custmgmt_plan_surveys(self.company_2, today=TODAY)
        plans = Plan.search([('company_id', '=', self.company_2.id), ('partner_id', '=', self.shared.id)])
        self.assertTrue(plans)
        self.assertFalse(plans.user_id & self.salesman)
        with self.assertRaises(ValidationError):
            plans[:1].write({'user_id': self.salesman.id})
        for vals in ({'deadline': '9999-12-31'}, {'deadline': '2026-10-01'}):
            with self.assertRaises(ValidationError, msg=vals):
                plans[:1].with_user(self.manager_2).write(vals)


@tagged('post_install', '-at_install')
class TestRangeChecks(CustmgmtCommon):

    def test_company_policy_ranges(self):
        for vals in ({'custmgmt_visit_days_a': 100000}, {'custmgmt_top_visit_days': -1},
                     {'custmgmt_complaint_days_b': 10 ** 6}, {'custmgmt_complaint_days_c': -2},
                     {'custmgmt_tier_a_amount': -1.0}, {'custmgmt_tier_a_share': 150.0}):
            with self.assertRaises(ValidationError, msg=vals):
                self.company.with_user(self.sysadmin).write(vals)
        settings = Form(self.env['res.config.settings'].with_user(self.sysadmin))
        settings.custmgmt_visit_days_a = 100000
        settings.custmgmt_visit_days_b = 20
        with self.assertRaises(ValidationError):
            settings.save().execute()
        self.assertEqual((self.company.custmgmt_visit_days_a, self.company.custmgmt_visit_days_b), (10, 15),
                         "nothing half written")

    def test_archive_values_ranges(self):
        customer = self._customer("Ranged Co", user_id=self.salesman.id)
        as_user = customer.with_user(self.salesman)
        for vals in ({'custmgmt_year_founded': 12345}, {'custmgmt_year_founded': 1200}, {'custmgmt_registered_capital': -1.0},
                     {'custmgmt_employee_count': -3}, {'custmgmt_warehouse_area': -10.0}):
            with self.assertRaises(ValidationError, msg=vals):
                as_user.write(vals)
        contact = self.env['res.partner'].create({'name': 'Qian', 'parent_id': customer.id})
        with self.assertRaises(ValidationError):
            self.env['custmgmt.decision.member'].with_user(self.salesman).create({
                'partner_id': customer.id, 'contact_id': contact.id, 'birthday': '9999-01-01'})
        with self.assertRaises(ValidationError):
            self.env['custmgmt.competitor.line'].with_user(self.salesman).create({
                'partner_id': customer.id, 'competitor_id': self._customer("Rival").id,
                'last_updated': '9999-01-01'})
        with self.assertRaises(ValidationError):
            self.env['custmgmt.objection'].with_user(self.salesman).create({
                'partner_id': customer.id, 'date': '9999-01-01'})


@tagged('post_install', '-at_install')
class TestNewUserTrial(CustmgmtCommon):

    def test_new_customer_with_a_new_decision_maker_saves_at_once(self):
        form = Form(self.env['res.partner'].with_user(self.salesman))
        form.name = "Fresh Co"
        form.company_type = 'company'
        with form.custmgmt_decision_member_ids.new() as member:
            member.name = "Wang Wei"
            member.position = "Purchasing manager"
        customer = form.save()
        member = customer.custmgmt_decision_member_ids
        self.assertEqual(member.contact_id.name, "Wang Wei")
        self.assertEqual(member.contact_id.parent_id, customer, "the contact is a child of the customer")
        self.assertEqual(customer.custmgmt_archive_user_id, self.salesman)

    def test_decision_maker_form_creates_the_contact_on_save(self):
        customer = self._customer("Saved Co", user_id=self.salesman.id)
        form = Form(self.env['custmgmt.decision.member'].with_user(self.salesman).with_context(
            default_partner_id=customer.id))
        form.name = "Liu Yang"
        form.email = "liu.yang@saved.example.com"
        member = form.save()
        self.assertEqual(member.contact_id.parent_id, customer)
        self.assertEqual(member.contact_id.email, "liu.yang@saved.example.com")

    def test_refused_save_leaves_no_stray_contact(self):
        form = Form(self.env['res.partner'].with_user(self.salesman))
        form.name = "Refused Co"
        form.company_type = 'company'
        form.custmgmt_statement_day = 40
        with form.custmgmt_decision_member_ids.new() as member:
            member.name = "Zhao Li"
        with self.assertRaises(ValidationError):
            form.save()
        self.assertFalse(self.env['res.partner'].search([('name', 'in', ('Zhao Li', 'Refused Co'))]))

    def test_no_add_a_line_on_another_salespersons_customer(self):
        theirs = self._customer("Theirs Co", user_id=self.manager.id)
        form = Form(theirs.with_user(self.salesman))
        for fname in ('custmgmt_decision_member_ids', 'custmgmt_competitor_line_ids'):
            with self.assertRaises(AssertionError, msg=fname):
                getattr(form, fname).new()
        form.comment = "Met at the fair"
        form.save()
        contact = self.env['res.partner'].create({'name': 'Sun', 'parent_id': theirs.id})
        with self.assertRaisesRegex(AccessError, "salesperson or its archive owner"):
            self.env['custmgmt.decision.member'].with_user(self.salesman).create({
                'partner_id': theirs.id, 'contact_id': contact.id})
        # own customer: the lines can be added
        mine = self._customer("Mine Co", user_id=self.salesman.id)
        form = Form(mine.with_user(self.salesman))
        with form.custmgmt_competitor_line_ids.new() as line:
            line.competitor_id = theirs
        form.save()
        self.assertEqual(mine.custmgmt_competitor_line_ids.competitor_id, theirs)

    def test_readable_names_and_labels(self):
        customer = self._customer("Named Co", user_id=self.salesman.id)
        objection = self.env['custmgmt.objection'].with_user(self.salesman).create({
            'partner_id': customer.id, 'objection_type': 'hidden', 'date': '2026-11-02'})
        self.assertIn("Named Co", objection.display_name)
        self.assertIn("Hidden", objection.display_name)
        order = self.env['sale.order'].create({'partner_id': customer.id})
        exception = self.env['custmgmt.credit.exception'].new({'order_id': order.id})
        self.assertIn(order.name, exception.display_name)
        self.assertIn("Named Co", exception.display_name)
        # Year Founded is a year: no thousands separator
        arch = self.env['res.partner'].with_user(self.salesman).get_views([(False, 'form')])['views']['form']['arch']
        node = etree.fromstring(arch).xpath("//field[@name='custmgmt_year_founded']")[0]
        self.assertIn("'enable_formatting': false", node.get('options'))
        # "Kind" per model
        strings = {model: self.env[model].fields_get(['kind'])['kind']['string'] for model in (
            'custmgmt.complaint', 'custmgmt.complaint.category', 'custmgmt.visit', 'custmgmt.survey.plan')}
        self.assertEqual(strings, {'custmgmt.complaint': 'Complaint Type',
                                   'custmgmt.complaint.category': 'Complaint Type',
                                   'custmgmt.visit': 'Visit Kind', 'custmgmt.survey.plan': 'Survey Kind'})
        self._load_chinese()
        for lang in ('zh_CN', 'zh_TW'):
            translated = {model: self.env[model].with_context(lang=lang).fields_get(['kind'])['kind']['string']
                          for model in ('custmgmt.complaint', 'custmgmt.visit', 'custmgmt.survey.plan')}
            self.assertEqual(len(set(translated.values())), 3, translated)
            self.assertNotIn('Kind', ''.join(translated.values()))

    def test_set_and_lock_wizard_opens_on_the_current_tier(self):
        customer = self._tiered_customer("Tiered Co", 'b')
        form = Form(self.env['custmgmt.tier.set.wizard'].with_user(self.manager).with_context(
            default_partner_id=customer.id))
        self.assertEqual(form.tier, 'b')


@tagged('post_install', '-at_install')
class TestHardeningInChinese(CustmgmtCommon):
    """The refusals are translated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese()

    def test_refusals_in_chinese(self):
        theirs = self._customer("Theirs Co", user_id=self.manager.id)
        with self.assertRaisesRegex(AccessError, "只有客户管理主管才能更改"):
            theirs.with_user(self.salesman).with_context(lang='zh_CN').write({'user_id': self.salesman.id})
        with self.assertRaisesRegex(AccessError, "檔案負責人"):
            contact = self.env['res.partner'].create({'name': 'Sun', 'parent_id': theirs.id})
            self.env['custmgmt.decision.member'].with_user(self.salesman).with_context(lang='zh_TW').create({
                'partner_id': theirs.id, 'contact_id': contact.id})
        with self.assertRaisesRegex(ValidationError, "拜访间隔为 0"):
            self.company.with_user(self.sysadmin).with_context(lang='zh_CN').write({'custmgmt_visit_days_a': -1})
        note = theirs.with_context(lang='zh_TW')._custmgmt_tier_note()
        self.assertIn("等級變動記錄", note)


@tagged('post_install', '-at_install')
class TestAddALineUi(HttpCase):
    """In a real browser: no "Add a line" on another salesperson's customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        common = {'company_id': company.id, 'company_ids': [Command.set(company.ids)],
                  'groups': 'base.group_user,base.group_partner_manager,sales_team.group_sale_salesman'}
        cls.seller = new_test_user(cls.env, login='ui_seller', **common)
        new_test_user(cls.env, login='ui_other_seller', **common)
        cls.customer = cls.env['res.partner'].create({
            'name': 'Benxi Alloys', 'is_company': True, 'user_id': cls.seller.id})

    def test_other_salesperson_sees_no_add_a_line(self):
        self.start_tour(f"/odoo/res.partner/{self.customer.id}", 'custmgmt_no_add_lines_tour',
                        login='ui_other_seller', timeout=90)

    def test_own_salesperson_adds_lines(self):
        self.start_tour(f"/odoo/res.partner/{self.customer.id}", 'custmgmt_add_lines_tour',
                        login='ui_seller', timeout=90)
