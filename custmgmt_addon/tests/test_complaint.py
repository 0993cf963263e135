from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CustmgmtCommon

RECEIVED = datetime(2026, 11, 24, 9, 0)


@tagged('post_install', '-at_install')
class TestComplaintCommon(CustmgmtCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env.ref('custmgmt_addon.department_production')
        cls.sales_dept = cls.env.ref('custmgmt_addon.department_sales')
        common = {'company_id': cls.company.id, 'company_ids': [Command.set(cls.company.ids)]}
        cls.prod_manager = new_test_user(cls.env, login='cm_prod_manager', name='Pete Production',
                                         groups='base.group_user,custmgmt_addon.group_custmgmt_complaint', **common)
        cls.prod_worker = new_test_user(cls.env, login='cm_prod_worker', name='Quinn Quality',
                                        groups='base.group_user,custmgmt_addon.group_custmgmt_complaint', **common)
        cls.production.sudo().write({'manager_id': cls.prod_manager.id,
                                     'member_ids': [Command.set(cls.prod_worker.ids)]})
        cls.sales_dept.sudo().manager_id = cls.manager
        cls.customer = cls._customer("Anshan Iron Casting", user_id=cls.salesman.id)
        cls.contact = cls.env['res.partner'].create({
            'name': 'Li Na', 'parent_id': cls.customer.id, 'email': 'li.na@anshan.example.com'})
        cls.orphan = cls._customer("No Salesperson Co")

    @classmethod
    def _category(cls, xmlid):
        return cls.env.ref(f'custmgmt_addon.{xmlid}')

    def _complaint(self, customer=None, category='complaint_category_product_quality', user=None, **vals):
        Complaint = self.env['custmgmt.complaint'].with_user(user or self.salesman)
        return Complaint.create(dict({
            'subject': 'Rods are rusty',
            'partner_id': (customer or self.customer).id,
            'category_id': self._category(category).id,
            'date_received': RECEIVED,
        }, **vals))


class TestComplaintRouting(TestComplaintCommon):

    def test_every_seeded_category_routes_to_its_department(self):
        expected = {
            'complaint_category_product_quality': (self.production, self.prod_manager),
            'complaint_category_packaging': (self.production, self.prod_manager),
            'complaint_category_delivery': (self.sales_dept, self.salesman),
            'complaint_category_service': (self.sales_dept, self.salesman),
            'complaint_category_billing': (self.sales_dept, self.salesman),
        }
        for xmlid, (department, user) in expected.items():
            complaint = self._complaint(category=xmlid)
            self.assertEqual((complaint.department_id, complaint.user_id), (department, user), xmlid)
            self.assertTrue(complaint.name.startswith('CMP/'), complaint.name)

    def test_category_override_and_recompute_on_category_change(self):
        lab = self.env['custmgmt.department'].sudo().create({'name': 'Metallurgy Lab', 'manager_id': self.prod_worker.id})
        self._category('complaint_category_packaging').sudo().department_id = lab
        complaint = self._complaint(category='complaint_category_packaging')
        self.assertEqual((complaint.department_id, complaint.user_id), (lab, self.prod_worker))
        form = Form(complaint)
        form.category_id = self._category('complaint_category_billing')
        form.save()
        self.assertEqual((complaint.department_id, complaint.user_id), (self.sales_dept, self.salesman))

    def test_sales_department_without_salesperson_goes_to_its_manager(self):
        complaint = self._complaint(customer=self.orphan, category='complaint_category_delivery',
                                    user=self.manager)
        self.assertEqual(complaint.user_id, self.manager)

    @freeze_time('2026-11-24 10:00:00')
    def test_deadline_by_tier_and_overdue(self):
        tiers = {'a': 1, 'b': 2, 'c': 3, False: 3}
        for tier, days in tiers.items():
            customer = self._customer(f"Tier {tier} Co", user_id=self.salesman.id)
            if tier:
                customer.with_company(self.company).sudo().write({'custmgmt_tier': tier})
            complaint = self._complaint(customer=customer)
            self.assertEqual(complaint.customer_tier, tier)
            self.assertEqual(complaint.deadline, RECEIVED + timedelta(days=days), tier)
        self.company.sudo().custmgmt_complaint_days_a = 4
        customer = self._customer("Tier a again", user_id=self.salesman.id)
        customer.with_company(self.company).sudo().write({'custmgmt_tier': 'a'})
        self.assertEqual(self._complaint(customer=customer).deadline, RECEIVED + timedelta(days=4))
        late = self._complaint(date_received=datetime(2026, 11, 1, 9, 0))
        on_time = self._complaint()
        overdue = self.env['custmgmt.complaint'].search([('is_overdue', '=', True), ('id', 'in', (late | on_time).ids)])
        self.assertEqual(overdue, late)
        late.sudo().write({'state': 'cancelled'})
        self.assertFalse(late.is_overdue)

    def test_reassignment_moves_the_activity(self):
        complaint = self._complaint(category='complaint_category_service')
        activity_type = self.env.ref('custmgmt_addon.mail_activity_type_complaint')
        activity = complaint.activity_ids
        self.assertEqual((len(activity), activity.activity_type_id, activity.user_id),
                         (1, activity_type, self.salesman))
        self.assertEqual(activity.date_deadline, (RECEIVED + timedelta(days=3)).date())
        with self.assertRaises(AccessError):
            complaint.with_user(self.salesman).user_id = self.owner
        complaint.with_user(self.manager).user_id = self.owner
        self.assertEqual(complaint.activity_ids, activity, "the same activity moved, none added")
        self.assertEqual(activity.user_id, self.owner)
        complaint.with_user(self.manager).department_id = self.production
        self.assertEqual(len(complaint.activity_ids), 1)


class TestComplaintStages(TestComplaintCommon):

    def test_each_stage_guard_refuses_and_changes_nothing(self):
        complaint = self._complaint()
        with freeze_time('2026-11-24 13:30:00'):
            complaint.with_user(self.prod_manager).action_start()
        self.assertEqual(complaint.state, 'in_progress')
        self.assertEqual(complaint.first_response_hours, 4.5)
        with self.assertRaisesRegex(UserError, "root cause"):
            complaint.action_resolve()
        self.assertEqual(complaint.state, 'in_progress')
        complaint.root_cause = "Rods stored outdoors before shipping"
        with self.assertRaisesRegex(UserError, "corrective action"):
            complaint.action_resolve()
        complaint.corrective_action = "Covered storage; VCI film on every bundle"
        with freeze_time('2026-11-25 09:00:00'):
            complaint.action_resolve()
        self.assertEqual((complaint.state, complaint.resolution_hours), ('resolved', 24.0))
        self.assertFalse(complaint.activity_ids, "the answer activity is done")
        with self.assertRaisesRegex(UserError, "Customer Informed"):
            complaint.action_close()
        self.assertEqual(complaint.state, 'resolved')
        complaint.write({'customer_informed': True, 'outcome': "Replacement shipped, storage changed"})
        complaint.action_close()
        self.assertEqual(complaint.state, 'closed')
        with self.assertRaisesRegex(UserError, "cannot go from"):
            complaint.write({'state': 'new'})

    def test_kept_once_worked_on(self):
        draft = self._complaint()
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())
        worked = self._complaint()
        worked.action_start()
        with self.assertRaisesRegex(UserError, "cancel or archive"):
            worked.with_user(self.manager).unlink()
        worked.action_cancel()
        worked.active = False
        self.assertTrue(worked.exists())


class TestComplaintEmail(TestComplaintCommon):

    def _email(self, sender, subject, message_id, extra=''):
        return (f"From: {sender}\nTo: complaints@example.com\nSubject: {subject}\n"
                f"Message-ID: {message_id}\n{extra}Content-Type: text/plain\n\nThe rods arrived rusty.\n")

    def test_email_from_known_and_unknown_senders(self):
        Thread = self.env['mail.thread'].sudo()
        known_id = Thread.message_process(
            'custmgmt.complaint', self._email('Li Na <li.na@anshan.example.com>', 'Rusty rods', '<a1@anshan>'))
        known = self.env['custmgmt.complaint'].browse(known_id)
        self.assertEqual((known.partner_id, known.contact_id, known.needs_triage), (self.customer, self.contact, False))
        self.assertEqual(known.subject, 'Rusty rods')
        self.assertTrue(known.name.startswith('CMP/'), known.name)
        self.assertEqual(known.user_id, self.salesman, "no category yet: the sales department triages")
        unknown_id = Thread.message_process(
            'custmgmt.complaint', self._email('someone@elsewhere.example.com', 'Late delivery', '<b1@elsewhere>'))
        unknown = self.env['custmgmt.complaint'].browse(unknown_id)
        self.assertTrue(unknown.needs_triage)
        self.assertFalse(unknown.partner_id)
        # a reply threads into the complaint
        messages = len(known.message_ids)
        reply_id = Thread.message_process('custmgmt.complaint', self._email(
            'Li Na <li.na@anshan.example.com>', 'Re: Rusty rods', '<a2@anshan>', extra='In-Reply-To: <a1@anshan>\n'))
        self.assertEqual(reply_id, known.id)
        self.assertEqual(len(known.message_ids), messages + 1)

    def test_email_through_the_alias(self):
        alias = self.env.ref('custmgmt_addon.mail_alias_complaints').sudo()
        self.assertEqual(alias.alias_model_id.model, 'custmgmt.complaint')
        # the company's mail domain, as an administrator sets it in the general settings
        alias.alias_domain_id = self.env['mail.alias.domain'].sudo().create({'name': 'example.com'})
        raw = self._email('Li Na <li.na@anshan.example.com>', 'Broken crate', '<c1@anshan>')
        complaint_id = self.env['mail.thread'].sudo().message_process(False, raw)
        complaint = self.env['custmgmt.complaint'].browse(complaint_id)
        self.assertEqual((complaint.subject, complaint.partner_id), ('Broken crate', self.customer))


class TestComplaintAccess(TestComplaintCommon):

    def test_handlers_work_their_departments_only(self):
        quality = self._complaint()
        billing = self._complaint(category='complaint_category_billing')
        Complaint = self.env['custmgmt.complaint']
        self.assertEqual(Complaint.with_user(self.prod_worker).search([]), quality)
        self.assertEqual(Complaint.with_user(self.prod_manager).search([]), quality)
        with self.assertRaises(AccessError):
            billing.with_user(self.prod_worker).read(['subject'])
        quality.with_user(self.prod_worker).action_start()
        quality.with_user(self.prod_worker).write({'root_cause': 'Storage', 'corrective_action': 'Cover it'})
        quality.with_user(self.prod_worker).action_resolve()
        self.assertEqual(quality.state, 'resolved')
        # the customer's name, and nothing of its archive
        self.assertEqual(quality.with_user(self.prod_worker).partner_id.name, 'Anshan Iron Casting')
        for fname in ('custmgmt_registered_capital', 'custmgmt_credit_standing', 'custmgmt_tier', 'custmgmt_decision_member_ids'):
            with self.assertRaises(AccessError, msg=fname):
                self.customer.with_user(self.prod_worker).read([fname])
        with self.assertRaises(AccessError):
            Complaint.with_user(self.prod_worker).create({'subject': 'x', 'partner_id': self.customer.id})

    def test_users_see_their_customers_managers_all_companies_apart(self):
        mine = self._complaint()
        other = self._complaint(customer=self.orphan, user=self.manager, category='complaint_category_billing')
        Complaint = self.env['custmgmt.complaint']
        self.assertIn(mine, Complaint.with_user(self.salesman).search([]))
        self.assertNotIn(other, Complaint.with_user(self.salesman).search([]))
        self.assertIn(other, Complaint.with_user(self.manager).search([]))
        self.assertFalse(Complaint.with_user(self.plain_user).has_access('read'))
        company_2 = self.setup_other_company()['company']
        foreign = Complaint.sudo().create({'subject': 'Abroad', 'company_id': company_2.id})
        self.assertNotIn(foreign, Complaint.with_user(self.manager).search([]))
