"""Issue 11, access part: every finding as the user who must be refused, on
every path (create, write, copy, import, RPC, Form)."""
from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import CustmgmtCommon
from .test_complaint import RECEIVED, TestComplaintCommon
from .test_visit import TODAY, ServiceCommon


@tagged('post_install', '-at_install')
class TestTakingOverAFile(CustmgmtCommon):
    """A User does not make another salesperson's customer their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = new_test_user(
            cls.env, login='cm_other_sales', name='Otto Other',
            groups='base.group_user,base.group_partner_manager,sales_team.group_sale_salesman',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.theirs = cls._customer("Theirs Co", user_id=cls.other.id)
        cls.split = cls._customer("Split Co", user_id=cls.other.id, custmgmt_archive_user_id=cls.owner.id)
        cls.mine = cls._customer("Mine Co", user_id=cls.salesman.id)
        cls.nobodys = cls._customer("Nobody's Co")

    def test_user_cannot_set_themselves_on_another_salespersons_customer(self):
        self.assertEqual(self.theirs.custmgmt_archive_user_id, self.other)
        for fname in ('user_id', 'custmgmt_archive_user_id'):
            with self.assertRaises(AccessError, msg=fname):
                self.theirs.with_user(self.salesman).write({fname: self.salesman.id})
        # the archive owner does not take the salesperson's part either, nor the reverse
        with self.assertRaises(AccessError):
            self.split.with_user(self.owner).write({'user_id': self.owner.id})
        with self.assertRaises(AccessError):
            self.split.with_user(self.other).write({'custmgmt_archive_user_id': self.other.id})
        self.assertEqual((self.theirs.user_id, self.theirs.custmgmt_archive_user_id), (self.other, self.other))
        self.assertEqual((self.split.user_id, self.split.custmgmt_archive_user_id), (self.other, self.owner))

    def test_refused_through_form_and_import(self):
        form = Form(self.theirs.with_user(self.salesman))
        form.user_id = self.salesman
        with self.assertRaises(AccessError):
            form.save()
        result = self.env['res.partner'].with_user(self.salesman).load(
            ['.id', 'user_id/.id'], [[str(self.theirs.id), str(self.salesman.id)]])
        self.assertFalse(result['ids'])
        self.assertTrue(result['messages'])
        self.assertEqual(self.theirs.user_id, self.other)

    def test_handover_moves_the_archive_owner_unless_set_on_purpose(self):
        self.mine.with_user(self.salesman).write({'user_id': self.other.id})
        self.assertEqual((self.mine.user_id, self.mine.custmgmt_archive_user_id), (self.other, self.other))
        # in the form as well
        form = Form(self.theirs.with_user(self.other))
        form.user_id = self.salesman
        form.save()
        self.assertEqual(self.theirs.custmgmt_archive_user_id, self.salesman)
        # an owner set to someone else on purpose stays
        self.split.with_user(self.other).write({'user_id': self.salesman.id})
        self.assertEqual((self.split.user_id, self.split.custmgmt_archive_user_id), (self.salesman, self.owner))
        # removing the salesperson is no handover: the file keeps its owner
        self.mine.with_user(self.other).write({'user_id': False})
        self.assertEqual(self.mine.custmgmt_archive_user_id, self.other)

    def test_unowned_customer_can_be_claimed_and_managers_reassign(self):
        self.nobodys.with_user(self.salesman).write({'user_id': self.salesman.id})
        self.assertEqual(self.nobodys.custmgmt_archive_user_id, self.salesman)
        self.theirs.with_user(self.manager).write({'user_id': self.salesman.id, 'custmgmt_archive_user_id': self.owner.id})
        self.assertEqual((self.theirs.user_id, self.theirs.custmgmt_archive_user_id), (self.salesman, self.owner))

    def test_user_opening_a_new_file_owns_it(self):
        customer = self.env['res.partner'].with_user(self.owner).create({'name': 'New Co', 'is_company': True})
        self.assertEqual(customer.custmgmt_archive_user_id, self.owner)


@tagged('post_install', '-at_install')
class TestTierFieldsOnCreate(CustmgmtCommon):
    """A User cannot create, copy or import a customer with a tier, a lock or tier figures."""

    def test_create_copy_and_import_with_tier_refused(self):
        Partner = self.env['res.partner'].with_user(self.salesman)
        for vals in ({'custmgmt_tier': 'a'}, {'custmgmt_tier_locked': True, 'custmgmt_tier_lock_reason': 'Friend'},
                     {'custmgmt_tier_monthly_average': 50000.0}):
            with self.assertRaises(AccessError, msg=vals):
                Partner.create(dict({'name': 'Sneaky Co', 'is_company': True}, **vals))
        with self.assertRaises(AccessError):
            Partner.with_context(default_custmgmt_tier='a').create({'name': 'Sneaky Co'})
        tiered = self._tiered_customer("Tiered Co", 'a', user_id=self.salesman.id)
        with self.assertRaises(AccessError):
            tiered.with_user(self.salesman).copy({'custmgmt_tier': 'a'})
        copy = tiered.with_user(self.salesman).copy()
        self.assertFalse(copy.with_company(self.company).sudo().custmgmt_tier, "the tier is not copied")
        result = Partner.load(['name', 'is_company', 'custmgmt_tier'], [['Imported Co', '1', 'a']])
        self.assertFalse(result['ids'])
        self.assertFalse(self.env['res.partner'].search([('name', '=', 'Imported Co')]))
        # a Manager may
        self.env['res.partner'].with_user(self.manager).create({'name': 'Set Co', 'custmgmt_tier': 'b'})


@tagged('post_install', '-at_install')
class TestSharedCustomerAcrossCompanies(CustmgmtCommon):
    """The decision chain and competitors recorded in company 1 stay in company 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()['company']
        both = [Command.set((cls.company | cls.company_2).ids)]
        cls.salesman.sudo().company_ids = both
        cls.manager_2 = new_test_user(
            cls.env, login='cm_manager_c2', groups='base.group_user,custmgmt_addon.group_custmgmt_manager',
            company_id=cls.company_2.id, company_ids=[Command.set(cls.company_2.ids)])
        cls.shared = cls._customer("Shared Co", user_id=cls.salesman.id)  # no company: shared
        cls.contact = cls.env['res.partner'].create({'name': 'Zhang San', 'parent_id': cls.shared.id})
        cls.rival = cls._customer("Rival Co")

    def _record_in(self, company):
        env = self.env(user=self.salesman, context={'allowed_company_ids': company.ids})
        member = env['custmgmt.decision.member'].create({'partner_id': self.shared.id,
                                                         'contact_id': self.contact.id})
        line = env['custmgmt.competitor.line'].create({'partner_id': self.shared.id,
                                                       'competitor_id': self.rival.id, 'share_percent': 60})
        return member, line

    def test_lines_belong_to_the_company_where_recorded(self):
        member, line = self._record_in(self.company)
        self.assertEqual((member.company_id, line.company_id), (self.company, self.company))
        for model in ('custmgmt.decision.member', 'custmgmt.competitor.line'):
            self.assertFalse(self.env[model].with_user(self.manager_2).search([('partner_id', '=', self.shared.id)]),
                             f"{model}: company 2 does not read company 1's lines")
            in_2 = self.env[model].with_user(self.salesman).with_context(allowed_company_ids=self.company_2.ids)
            self.assertFalse(in_2.search([('partner_id', '=', self.shared.id)]))
        with self.assertRaises(AccessError):
            member.with_user(self.manager_2).read(['position'])
        # company 2 records its own view; the shares add up per company
        member_2, line_2 = self._record_in(self.company_2)
        self.assertEqual((member_2.company_id, line_2.company_id), (self.company_2, self.company_2))
        self.assertEqual(self.env['custmgmt.competitor.line'].with_user(self.manager_2).search(
            [('partner_id', '=', self.shared.id)]), line_2)

    def test_existing_lines_get_a_company_at_upgrade(self):
        member, line = self._record_in(self.company)
        for record in (member, line):
            self.env.cr.execute(f"ALTER TABLE {record._table} ALTER COLUMN company_id DROP NOT NULL")
            self.env.cr.execute(f"UPDATE {record._table} SET company_id = NULL WHERE id = %s", [record.id])
            record.invalidate_recordset()
            record._custmgmt_fill_company()
            record.invalidate_recordset()
            self.assertEqual(record.company_id, self.salesman.company_id, "the company of who recorded it")


@tagged('post_install', '-at_install')
class TestNoFiguresInChatter(CustmgmtCommon):

    def test_tier_change_note_has_no_tiers(self):
        customer = self._customer("Noted Co")
        customer.with_user(self.manager).write({'custmgmt_tier': 'a'})
        customer.with_user(self.manager).write({'custmgmt_tier': 'c'})
        note = customer.message_ids[0].body
        self.assertIn("see the tier history", note)
        for label in ("A – Strategic", "C – General", "→"):
            self.assertNotIn(label, note)
        engine_note = customer._custmgmt_tier_note('a', 'b', 'down')
        self.assertNotIn("Key", engine_note)
        self.assertIn("see the tier history", engine_note)


@tagged('post_install', '-at_install')
class TestTierPreviewManagersOnly(CustmgmtCommon):

    def test_users_cannot_preview_through_onchange(self):
        spec = {fname: {} for fname in ('company_id', 'months', 'method', 'a_share', 'b_share', 'a_amount',
                                        'b_amount', 'a_count', 'b_count', 'c_count', 'problem')}
        values = {'company_id': self.company.id, 'months': 3, 'method': 'amount', 'a_share': 80.0,
                  'b_share': 95.0, 'a_amount': 5000.0, 'b_amount': 1000.0}
        for user in (self.salesman, self.plain_user):
            Wizard = self.env['custmgmt.tier.preview.wizard'].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Wizard.onchange(values, ['b_amount'], spec)
            with self.assertRaises(AccessError, msg=user.login):
                Wizard.onchange({}, [], spec)
        # a Manager previews (no error)
        self.env['custmgmt.tier.preview.wizard'].with_user(self.manager).onchange(values, ['b_amount'], spec)
        self.env['custmgmt.tier.preview.wizard'].with_user(self.manager).onchange({}, [], spec)


@tagged('post_install', '-at_install')
class TestComplaintHandlerLimits(TestComplaintCommon):

    def test_handler_sees_no_tier_and_cannot_move_company(self):
        self.customer.with_company(self.company).sudo().write({'custmgmt_tier': 'a'})
        complaint = self._complaint()
        self.assertEqual(complaint.sudo().customer_tier, 'a')
        handler = complaint.with_user(self.prod_worker)
        with self.assertRaises(AccessError):
            handler.read(['customer_tier'])
        self.assertNotIn('customer_tier', handler.fields_get())
        form = Form(handler)
        self.assertNotIn('customer_tier', form._view['fields'])
        company_2 = self.setup_other_company()['company']
        with self.assertRaises(AccessError):
            handler.write({'company_id': company_2.id})
        self.assertEqual(complaint.company_id, self.company)


@tagged('post_install', '-at_install')
class TestComplaintGuards(TestComplaintCommon):

    def test_created_in_new_only(self):
        for state in ('in_progress', 'resolved', 'closed'):
            with self.assertRaises(UserError, msg=state):
                self._complaint(state=state, root_cause='x', corrective_action='y', customer_informed=True)
        with self.assertRaises(UserError):
            self.env['custmgmt.complaint'].with_user(self.salesman).with_context(default_state='resolved').create({
                'subject': 'Late', 'partner_id': self.customer.id, 'root_cause': 'x', 'corrective_action': 'y'})
        complaint = self._complaint()
        complaint.with_user(self.prod_manager).action_start()
        with self.assertRaises(UserError):
            complaint.with_user(self.salesman).copy({'state': 'in_progress'})
        self.assertEqual(complaint.copy().state, 'new')

    def test_resolution_cannot_be_emptied_and_kpi_not_editable(self):
        complaint = self._complaint()
        handler = complaint.with_user(self.prod_manager)
        handler.action_start()
        handler.write({'root_cause': 'Wet storage', 'corrective_action': 'Dry storage'})
        handler.action_resolve()
        for vals in ({'root_cause': ''}, {'corrective_action': '  '}, {'root_cause': False}):
            with self.assertRaises(ValidationError, msg=vals):
                handler.write(vals)
        for fname, value in (('date_received', datetime(2026, 11, 20)), ('first_response_date', RECEIVED),
                             ('resolved_date', RECEIVED)):
            for user in (self.prod_manager, self.manager):
                with self.assertRaises(UserError, msg=fname):
                    complaint.with_user(user).write({fname: value})
        with self.assertRaises(UserError):
            self._complaint(first_response_date=RECEIVED)
        self.assertEqual(complaint.date_received, RECEIVED)
        self.assertEqual(complaint.root_cause, 'Wet storage')

    def test_category_change_is_a_reassignment_once_worked_on(self):
        complaint = self._complaint()
        # while new, the category may still be corrected
        complaint.with_user(self.salesman).write({'category_id': self._category('complaint_category_packaging').id})
        complaint.with_user(self.prod_manager).action_start()
        for user in (self.salesman, self.prod_manager):
            with self.assertRaisesRegex(AccessError, "change the category", msg=user.login):
                complaint.with_user(user).write({'category_id': self._category('complaint_category_delivery').id})
        self.assertEqual(complaint.department_id, self.production)
        complaint.with_user(self.manager).write({'category_id': self._category('complaint_category_delivery').id})
        self.assertEqual(complaint.department_id, self.sales_dept)

    def test_mail_from_an_address_shared_by_customers_goes_to_triage(self):
        other = self._customer("Other Buyer Co")
        buyers = self.env['res.partner'].create([
            {'name': 'Buyer', 'parent_id': customer.id, 'email': 'buyer@shared.example.com'}
            for customer in (self.customer, other)])
        Complaint = self.env['custmgmt.complaint']
        # the gateway resolved the sender to one of the two (message_route sets author_id)
        complaint = Complaint.message_new({'email_from': 'Buyer <buyer@shared.example.com>', 'author_id': buyers[0].id,
                                           'subject': 'Bent rods', 'body': '<p>Bent</p>'})
        self.assertTrue(complaint.needs_triage)
        self.assertFalse(complaint.partner_id)
        # one customer with the address: its complaint
        complaint = Complaint.message_new({'email_from': 'li.na@anshan.example.com', 'author_id': self.contact.id,
                                           'subject': 'Rust', 'body': '<p>Rust</p>'})
        self.assertEqual((complaint.partner_id, complaint.contact_id), (self.customer, self.contact))

    def test_over_large_mail_refused_cleanly(self):
        Complaint = self.env['custmgmt.complaint']
        before = Complaint.search_count([])
        with self.assertRaises(UserError):
            Complaint.message_new({'email_from': 'li.na@anshan.example.com', 'subject': 'Huge',
                                   'body': '<p>%s</p>' % ('x' * 600_000)})
        self.assertEqual(Complaint.search_count([]), before)


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
        note = theirs.with_context(lang='zh_TW')._custmgmt_tier_note('a', 'b', 'down')
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
