"""Issue 11, access part: every finding as the user who must be refused, on
every path (create, write, copy, import, RPC, Form)."""
from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CustmgmtCommon
from .test_complaint import RECEIVED, TestComplaintCommon


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
        engine_note = customer._custmgmt_tier_note()
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
