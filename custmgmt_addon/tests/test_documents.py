import base64
import re
import shutil
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CustmgmtCreditCommon


def text(html):
    """The visible text of rendered HTML, whitespace collapsed."""
    return re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', html.decode() if isinstance(html, bytes) else html))


@tagged('post_install', '-at_install')
class TestDocuments(CustmgmtCreditCommon):
    """The printable documents: what each shows, to whom, in which language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {'company_id': cls.company.id, 'company_ids': [Command.set(cls.company.ids)]}
        cls.other_seller = new_test_user(
            cls.env, login='cm_other_seller', name='Olivia Other',
            groups='base.group_user,base.group_partner_manager,sales_team.group_sale_salesman', **common)
        cls.customer.write({'custmgmt_route_sequence': 2, 'custmgmt_visit_weekday': '1',
                            'custmgmt_visit_time': 14.5, 'custmgmt_relationship_stage': 'trust'})
        cls.first_stop = cls._customer("Anshan Iron Casting", user_id=cls.salesman.id,
                                       custmgmt_route_sequence=1, custmgmt_visit_weekday='3')
        cls.unrouted = cls._customer("Zibo Ceramics", user_id=cls.salesman.id)
        cls.theirs = cls._customer("Baotou Rare Metals", user_id=cls.other_seller.id, custmgmt_route_sequence=1)
        contact = cls.env['res.partner'].create({'name': 'Li Na', 'parent_id': cls.customer.id})
        cls.env['custmgmt.decision.member'].create({
            'partner_id': cls.customer.id, 'contact_id': contact.id, 'decision_role': 'influencer'})
        rival = cls._customer("Rival Metals")
        cls.env['custmgmt.competitor.line'].create({
            'partner_id': cls.customer.id, 'competitor_id': rival.id, 'share_percent': 35})
        # sales in September and November (the card's months end in the current one), one item overdue
        cls._invoices([(cls.customer, '2026-09-10', 12000, {'due': '2026-10-10'}),
                       (cls.customer, '2026-11-05', 3000, {'due': '2026-12-05'})])
        cls.Report = cls.env['ir.actions.report']

    def _html(self, report, ids, user=None, lang='en_US'):
        report_env = self.Report.with_user(user or self.salesman).with_context(lang=lang)
        return text(report_env._render_qweb_html(f'custmgmt_addon.{report}', ids)[0])

    # ------------------------------------------------------------
    # the customer management card
    # ------------------------------------------------------------

    @freeze_time('2026-11-24')
    def test_card_shows_the_archive_the_months_and_the_aging(self):
        html = self._html('action_report_customer_card', self.customer.ids)
        for expected in ("Credit Co", "Customer Management Card", "Li Na", "Rival Metals", "35.0 %", "Trust",
                         "Sales, Dec 2025 – Nov 2026", "Sep 2026", "Nov 2026", "Credit and Receivables"):
            self.assertIn(expected, html)
        # a month without sales is blank, not 0.00
        self.assertRegex(html, r"Oct 2026 Nov 2026")
        self.assertNotIn("$ 0.00", html.split("Sales, Dec 2025")[1].split("Total")[0])
        # the aging columns in their order
        positions = [html.index(label) for label in
                     ("Not Due", "1–30 Days", "31–60 Days", "61–90 Days", "Over 90 Days")]
        self.assertEqual(positions, sorted(positions))

    @freeze_time('2026-11-24')
    def test_card_hides_receivables_from_another_salesperson(self):
        html = self._html('action_report_customer_card', self.customer.ids, user=self.other_seller)
        self.assertIn("Credit Co", html)
        self.assertNotIn("Credit and Receivables", html)
        self.assertNotIn("Open Receivables", html)
        self.assertIn("Credit and Receivables",
                      self._html('action_report_customer_card', self.customer.ids, user=self.finance_card_user()))

    def finance_card_user(self):
        """Finance that also uses the addon (the card is for the addon's users)."""
        self.finance.sudo().groups_id = [Command.link(self.env.ref('custmgmt_addon.group_custmgmt_user').id)]
        return self.finance

    @freeze_time('2026-11-24')
    def test_card_in_the_user_language(self):
        self._load_chinese()
        html = self._html('action_report_customer_card', self.customer.ids, lang='zh_CN')
        self.assertIn("客户管理卡", html)
        self.assertIn("2026年11月", html)
        self.assertIn("决策链", html)

    def test_card_refused_outside_the_addon(self):
        with self.assertRaises(UserError):
            self._html('action_report_customer_card', self.customer.ids, user=self.plain_user)

    # ------------------------------------------------------------
    # the customer register
    # ------------------------------------------------------------

    def test_register_of_a_selection_in_route_order(self):
        html = self._html('action_report_customer_register',
                          (self.unrouted | self.customer | self.first_stop | self.theirs).ids)
        # one sheet per salesperson, each in route order, customers without a route last
        sally = html.index("Sally Sales")
        olivia = html.index("Olivia Other")
        sheet = html[sally:olivia] if sally < olivia else html[sally:]
        order = [sheet.index(name) for name in ("Anshan Iron Casting", "Credit Co", "Zibo Ceramics")]
        self.assertEqual(order, sorted(order))
        self.assertIn("Tuesday 14:30", sheet)
        self.assertIn("Thursday", sheet)

    def test_register_of_a_salesperson(self):
        html = self._html('action_report_customer_register_user', self.salesman.ids)
        self.assertIn("Credit Co", html)
        self.assertIn("Anshan Iron Casting", html)
        self.assertNotIn("Baotou Rare Metals", html, "another salesperson's customer")

    # ------------------------------------------------------------
    # visit report, complaint sheet
    # ------------------------------------------------------------

    @freeze_time('2026-11-24')
    def test_visit_report_and_complaint_sheet(self):
        visit = self.env['custmgmt.visit'].with_user(self.salesman).create({
            'partner_id': self.customer.id, 'date': '2026-11-24', 'visit_time': 10.0,
            'info_funds': "Cash is tight", 'next_steps': "Send the price formula"})
        html = self._html('action_report_visit', visit.ids)
        for expected in ("Visit Report", "Credit Co", "11/24/2026 10:00", "Cash is tight", "Send the price formula"):
            self.assertIn(expected, html)
        complaint = self.env['custmgmt.complaint'].with_user(self.salesman).create({
            'subject': 'Broken crates', 'partner_id': self.customer.id,
            'category_id': self.env.ref('custmgmt_addon.complaint_category_packaging').id})
        html = self._html('action_report_complaint', complaint.ids)
        for expected in ("Complaint Handling Sheet", complaint.name, "Broken crates", "Root Cause", "Credit Co"):
            self.assertIn(expected, html)

    # ------------------------------------------------------------
    # the dunning letter
    # ------------------------------------------------------------

    def test_dunning_letter_attached_in_the_customer_language(self):
        self._load_chinese()
        self.company.sudo().write({'custmgmt_collection_user_id': self.finance.id})
        customer = self._customer("Long Small Co", user_id=self.salesman.id, email='ap@example.com', lang='zh_CN')
        invoice = self._invoices([(customer, '2026-09-15', 500)])
        with freeze_time('2026-11-24'):
            self.env['custmgmt.collection']._run(self.company, today=date(2026, 11, 24))
        mail = self.env['mail.mail'].sudo().search([('model', '=', 'res.partner'), ('res_id', '=', customer.id)])
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.attachment_ids, "rendered when the mail queue sends the letter, not while queuing")
        self.assertEqual(mail.custmgmt_letter_report_id, self.env.ref('custmgmt_addon.action_report_dunning_letter'))
        mail.send()
        self.assertFalse(mail.custmgmt_letter_report_id, "rendered once")
        self.assertEqual(len(mail.attachment_ids), 1, "the letter as PDF")
        self.assertIn("Long Small Co", mail.attachment_ids.name)
        letter = text(base64.b64decode(mail.attachment_ids.datas))  # HTML in tests (no wkhtmltopdf run)
        self.assertIn("逾期发票", letter)
        self.assertIn(invoice.name, letter)
        self.assertIn("2026年09月15日", letter)

    def test_pdf_where_wkhtmltopdf_is_found(self):
        if not shutil.which('wkhtmltopdf') or self.Report.get_wkhtmltopdf_state() == 'install':
            self.skipTest("wkhtmltopdf is not installed: the PDF is not checked (apt-get install wkhtmltopdf)")
        for report, ids in (('action_report_customer_card', self.customer.ids),
                            ('action_report_customer_register', self.customer.ids)):
            pdf = self.Report.with_user(self.salesman).with_context(force_report_rendering=True)._render_qweb_pdf(
                f'custmgmt_addon.{report}', ids)[0]
            self.assertTrue(pdf.startswith(b'%PDF'), report)


@tagged('post_install', '-at_install')
class TestViewsAndFigures(CustmgmtCreditCommon):
    """The visit's start and duration, the aging in its order, the stage guard in Chinese."""

    def test_visit_start_follows_date_time_and_timezone(self):
        self.salesman.tz = 'Asia/Shanghai'
        visit = self.env['custmgmt.visit'].with_user(self.salesman).create({
            'partner_id': self.customer.id, 'date': '2026-12-03', 'visit_time': 14.5, 'duration': 1.5})
        self.assertEqual(visit.date_start, datetime(2026, 12, 3, 6, 30))
        visit.action_schedule_meeting()
        self.assertEqual(visit.event_id.stop, datetime(2026, 12, 3, 8, 0), "the meeting lasts the visit's duration")
        # moved in the calendar: the date and the time follow
        visit.date_start = datetime(2026, 12, 4, 1, 0)
        self.assertEqual((visit.date, visit.visit_time), (date(2026, 12, 4), 9.0))
        self.assertEqual(visit.event_id.start, datetime(2026, 12, 4, 1, 0))
        visit.visit_time = 0.0
        self.assertEqual(visit.date_start, datetime(2026, 12, 4, 1, 0), "no time: 9:00")

    @freeze_time('2026-11-24')
    def test_aging_buckets_in_their_order(self):
        self._invoices([(self.customer, day, 100, {'due': due}) for day, due in (
            ('2026-06-01', '2026-07-01'), ('2026-11-01', '2026-12-01'), ('2026-10-01', '2026-11-10'),
            ('2026-09-01', '2026-09-30'), ('2026-08-01', '2026-09-05'))])
        groups = self.env['custmgmt.receivable.aging'].read_group(
            [('partner_id', '=', self.customer.id)], ['amount_residual:sum'], ['bucket'], lazy=False)
        self.assertEqual([group['bucket'] for group in groups], ['not_due', '1_30', '31_60', '61_90', 'over_90'])

    @freeze_time('2026-11-24')
    def test_months_read_as_months(self):
        self._load_chinese()
        self._invoices([(self.customer, '2026-11-05', 3000)])
        Months = self.env['custmgmt.partner.sales.month']
        domain = [('partner_id', '=', self.customer.id)]
        for lang, label in (('en_US', "Nov 2026"), ('zh_CN', "2026年11月")):
            groups = Months.with_context(lang=lang).read_group(domain, ['amount:sum'], ['month:month'])
            self.assertEqual([group['month:month'] for group in groups], [label])

    @freeze_time('2026-11-24')
    def test_visits_done_vs_due_as_two_series(self):
        customer = self._tiered_customer("Series Co", 'a', user_id=self.salesman.id)
        visit = self.env['custmgmt.visit'].create({'partner_id': customer.id, 'date': '2026-11-10',
                                                   'user_id': self.salesman.id, 'info_funds': "Paid on time"})
        visit.action_done()
        domain = [('partner_id', '=', customer.id), ('month', '=', '2026-11-01')]
        [(due, done)] = self.env['custmgmt.service.report'].with_user(self.manager)._read_group(
            domain, [], ['visits_due:sum', 'visits_done:sum'])
        series = dict(self.env['custmgmt.service.series'].with_user(self.manager)._read_group(
            domain, ['series'], ['visits:sum']))
        self.assertEqual(series, {'due': due, 'done': done})
        self.assertEqual(done, 1)
        self.assertGreater(due, 0)
        # a salesperson sees the series of their own customers only
        self.assertFalse(self.env['custmgmt.service.series'].with_user(self.other_seller()).search_count(domain))

    def other_seller(self):
        return new_test_user(self.env, login='cm_series_other', groups='base.group_user,sales_team.group_sale_salesman',
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])

    @freeze_time('2026-11-24')
    def test_stage_guard_speaks_the_user_language(self):
        self._load_chinese()
        complaint = self.env['custmgmt.complaint'].with_user(self.salesman).create({
            'subject': 'Broken crates', 'partner_id': self.customer.id,
            'category_id': self.env.ref('custmgmt_addon.complaint_category_packaging').id})
        with self.assertRaisesRegex(UserError, "请填写根本原因"):
            complaint.with_context(lang='zh_CN').write({'state': 'resolved'})


@tagged('post_install', '-at_install')
class TestDocumentsUi(HttpCase):
    """Tours: printing the card and the register, a complaint across the kanban."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        common = {'company_id': company.id, 'company_ids': [Command.set(company.ids)]}
        cls.seller = new_test_user(
            cls.env, login='ui_doc_seller', name='Sally Sales', tz='UTC',
            groups='base.group_user,base.group_partner_manager,sales_team.group_sale_salesman', **common)
        partner = cls.env['res.partner']
        cls.customer = partner.create({'name': 'Anshan Iron Casting', 'is_company': True, 'customer_rank': 1,
                                       'user_id': cls.seller.id, 'custmgmt_route_sequence': 1})
        partner.create({'name': 'Baotou Rare Metals', 'is_company': True, 'user_id': cls.seller.id,
                        'customer_rank': 1, 'custmgmt_route_sequence': 2})
        contact = partner.create({'name': 'Li Na', 'parent_id': cls.customer.id})
        cls.env['custmgmt.decision.member'].create({'partner_id': cls.customer.id, 'contact_id': contact.id})
        cls.env['custmgmt.competitor.line'].create({
            'partner_id': cls.customer.id,
            'competitor_id': partner.create({'name': 'Rival Metals', 'is_company': True}).id})

    def test_print_the_card(self):
        self.start_tour(f"/odoo/res.partner/{self.customer.id}", 'custmgmt_print_card_tour',
                        login='ui_doc_seller', timeout=120)

    def test_print_the_register_of_a_selection(self):
        self.start_tour("/odoo/action-custmgmt_addon.custmgmt_customer_action?view_type=list",
                        'custmgmt_print_register_tour', login='ui_doc_seller', timeout=120)

    def test_complaint_across_the_kanban(self):
        complaint = self.env['custmgmt.complaint'].with_user(self.seller).create({
            'subject': 'Kanban crates', 'partner_id': self.customer.id,
            'category_id': self.env.ref('custmgmt_addon.complaint_category_delivery').id})
        self.start_tour("/odoo/action-custmgmt_addon.custmgmt_complaint_action", 'custmgmt_complaint_kanban_tour',
                        login='ui_doc_seller', timeout=120)
        self.assertEqual(complaint.state, 'in_progress')
        self.assertTrue(complaint.first_response_date, "the move to In Progress is the first response")
