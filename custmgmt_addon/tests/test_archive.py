from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CustmgmtCommon


@tagged('post_install', '-at_install')
class TestCustomerArchive(CustmgmtCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Anshan Iron Casting", user_id=cls.salesman.id)
        cls.buyer = cls.env['res.partner'].create({
            'name': 'Li Na', 'parent_id': cls.customer.id, 'function': 'Purchasing Manager'})
        cls.gm = cls.env['res.partner'].create({'name': 'Wang Wei', 'parent_id': cls.customer.id})
        cls.rival = cls._customer("Rival Metals")
        cls.rival_2 = cls._customer("Second Rival")

    def test_partner_form_opens_and_saves_as_salesperson(self):
        with freeze_time('2026-11-24'):
            form = Form(self.customer.with_user(self.salesman))
            form.custmgmt_registered_capital = 5000000
            form.custmgmt_year_founded = 1998
            form.custmgmt_industry_position = 'major'
            form.custmgmt_statement_day = 25
            form.custmgmt_warehouse_area = 3200.5
            form.custmgmt_transport_mode = 'rail'
            form.custmgmt_relationship_stage = 'trust'
            form.custmgmt_personality = 'hesitant'
            with form.custmgmt_decision_member_ids.new() as member:
                member.contact_id = self.buyer
                member.decision_role = 'influencer'
                member.communication_style = 'analytical'
            with form.custmgmt_competitor_line_ids.new() as line:
                line.competitor_id = self.rival
                line.share_percent = 40
            partner = form.save()
            self.assertEqual(partner.custmgmt_years_in_business, 28)
        self.assertEqual(partner.custmgmt_archive_user_id, self.salesman, "the archive owner defaults to the salesperson")
        member = partner.custmgmt_decision_member_ids
        self.assertEqual(member.position, 'Purchasing Manager', "position defaults to the contact's job")
        self.assertEqual(member.display_name, 'Li Na – Purchasing Manager')
        self.assertEqual(partner.custmgmt_competitor_line_ids.share_percent, 40)
        self.assertEqual(partner.custmgmt_decision_member_count, 1)

    def test_statement_day_must_be_a_day_of_the_month(self):
        self.customer.custmgmt_statement_day = 31
        for bad in (32, -1, 100):
            with self.assertRaisesRegex(ValidationError, "from 1 to 31"):
                with self.env.cr.savepoint():
                    self.customer.custmgmt_statement_day = bad
                    self.customer.flush_recordset()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.custmgmt_statement_day, 31, "a refused value changes nothing")

    def test_relationship_changes_are_tracked(self):
        self.env.cr.flush()  # run the hooks queued by the setup, whose context disables tracking
        customer = self.customer.with_user(self.salesman).with_context(tracking_disable=False, mail_notrack=False)
        customer.write({'custmgmt_relationship_stage': 'meeting'})
        customer.sudo().write({'custmgmt_credit_standing': 'watch'})  # Finance's field (issue 11)
        customer.write({'custmgmt_relationship_stage': 'trust'})
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the cursor flushes its precommit hooks
        values = self.env['mail.tracking.value'].sudo().search([('mail_message_id.res_id', '=', customer.id),
                                                         ('mail_message_id.model', '=', 'res.partner')])
        self.assertIn('custmgmt_relationship_stage', values.field_id.mapped('name'))
        self.assertIn('custmgmt_credit_standing', values.field_id.mapped('name'))

    def test_competitor_shares_cannot_exceed_100(self):
        form = Form(self.customer)
        with form.custmgmt_competitor_line_ids.new() as line:
            line.competitor_id = self.rival
            line.share_percent = 60
        with form.custmgmt_competitor_line_ids.new() as line:
            line.competitor_id = self.rival_2
            line.share_percent = 50
        with self.assertRaisesRegex(ValidationError, "add up to 110.0 %"):
            with self.env.cr.savepoint():
                form.save()
        self.assertFalse(self.env['custmgmt.competitor.line'].search([('partner_id', '=', self.customer.id)]),
                         "nothing saved")
        Line = self.env['custmgmt.competitor.line']
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            with self.env.cr.savepoint():
                Line.create({'partner_id': self.customer.id, 'competitor_id': self.rival.id, 'share_percent': 120})
        with self.assertRaisesRegex(ValidationError, "its own competitor"):
            with self.env.cr.savepoint():
                Line.create({'partner_id': self.customer.id, 'competitor_id': self.customer.id})
        line = Line.create({'partner_id': self.customer.id, 'competitor_id': self.rival.id, 'share_percent': 100})
        self.assertTrue(line.last_updated)

    def test_decision_member_must_be_a_contact_of_the_customer(self):
        stranger = self.env['res.partner'].create({'name': 'Stranger', 'parent_id': self.rival.id})
        with self.assertRaisesRegex(ValidationError, "is not a contact person of"):
            self.env['custmgmt.decision.member'].create({'partner_id': self.customer.id, 'contact_id': stranger.id})

    def test_stale_people_are_archived_not_deleted(self):
        member = self.env['custmgmt.decision.member'].create({
            'partner_id': self.customer.id, 'contact_id': self.buyer.id})
        member_as_user = member.with_user(self.salesman)
        with self.assertRaises(AccessError):
            member_as_user.unlink()
        member_as_user.active = False
        self.assertFalse(self.customer.with_user(self.salesman).custmgmt_decision_member_ids)
        self.assertTrue(member.exists())

    @freeze_time('2026-11-24')
    def test_upcoming_birthdays(self):
        Member = self.env['custmgmt.decision.member']
        soon = Member.create({'partner_id': self.customer.id, 'contact_id': self.buyer.id, 'birthday': '1975-12-10'})
        later = Member.create({'partner_id': self.customer.id, 'contact_id': self.gm.id, 'birthday': '1970-03-01'})
        self.assertEqual(soon.days_to_birthday, 16)
        found = Member.search([('partner_id', '=', self.customer.id), ('days_to_birthday', '<=', 30)])
        self.assertEqual(found, soon)
        self.assertNotIn(later, found)


@tagged('post_install', '-at_install')
class TestMonthlySales(CustmgmtCommon):

    @freeze_time('2026-11-24')
    def test_monthly_sales_view_matches_invoices(self):
        customer = self._customer("Monthly Co")
        contact = self.env['res.partner'].create({'name': 'Buyer', 'parent_id': customer.id})
        self._invoices([
            (customer, '2026-10-03', 1000.0),
            (contact, '2026-10-20', 500.0),
            (customer, '2026-10-25', 200.0, {'move_type': 'out_refund'}),
            (customer, '2026-09-01', 300.0),
            (customer, '2025-10-31', 999.0),   # older than 12 months: not shown
        ])
        self._invoices([(customer, '2026-08-01', 777.0)], post=False)  # draft: not shown
        rows = self.env['custmgmt.partner.sales.month'].search([('partner_id', '=', customer.id)], order='month')
        self.assertEqual([(str(r.month), r.amount, r.invoice_count) for r in rows],
                         [('2026-09-01', 300.0, 1), ('2026-10-01', 1300.0, 2)])
        customer.invalidate_recordset(['custmgmt_sales_month_ids'])
        self.assertEqual(customer.custmgmt_sales_month_ids, rows)
        graph = self.env['custmgmt.partner.sales.month'].read_group(
            [('partner_id', '=', customer.id)], ['amount:sum'], ['month:month'])
        self.assertEqual(sum(g['amount'] for g in graph), 1600.0)


@tagged('post_install', '-at_install')
class TestChineseUi(CustmgmtCommon):
    """Users who read the UI in Chinese see the seeds' terms, errors included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese()

    def test_labels_and_errors_in_chinese(self):
        Partner = self.env['res.partner']
        for lang, tier_a, archive in (('zh_CN', 'A – 战略客户', '客户档案'), ('zh_TW', 'A – 戰略客戶', '客戶檔案')):
            labels = dict(Partner.with_context(lang=lang).fields_get(['custmgmt_tier'])['custmgmt_tier']['selection'])
            self.assertEqual(labels['a'], tier_a)
            view = Partner.with_context(lang=lang).get_view(self.env.ref('base.view_partner_form').id)
            self.assertIn(archive, view['arch'])
        customer = self._customer("Statement Co").with_context(lang='zh_CN')
        with self.assertRaisesRegex(ValidationError, "结账日必须是每月的 1 到 31 日"):
            customer.custmgmt_statement_day = 40
