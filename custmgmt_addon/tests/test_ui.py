from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged('post_install', '-at_install')
class TestArchiveUi(HttpCase):
    """The partner form opens in a real browser for each kind of user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        common = {'company_id': company.id, 'company_ids': [Command.set(company.ids)]}
        cls.salesman = new_test_user(
            cls.env, login='ui_sales', groups='base.group_user,base.group_partner_manager,sales_team.group_sale_salesman',
            **common)
        cls.manager = new_test_user(
            cls.env, login='ui_manager', groups='base.group_user,base.group_partner_manager,sales_team.group_sale_manager',
            **common)
        cls.plain = new_test_user(cls.env, login='ui_plain', groups='base.group_user,base.group_partner_manager', **common)
        cls.customer = cls.env['res.partner'].create({
            'name': 'Anshan Iron Casting', 'is_company': True, 'user_id': cls.salesman.id,
            'custmgmt_credit_standing': 'watch', 'custmgmt_relationship_stage': 'trust',
        })
        contact = cls.env['res.partner'].create({'name': 'Li Na', 'parent_id': cls.customer.id})
        cls.env['custmgmt.decision.member'].create({
            'partner_id': cls.customer.id, 'contact_id': contact.id, 'decision_role': 'influencer'})
        rival = cls.env['res.partner'].create({'name': 'Rival Metals', 'is_company': True})
        cls.env['custmgmt.competitor.line'].create({
            'partner_id': cls.customer.id, 'competitor_id': rival.id, 'share_percent': 30})

    def _open(self, login, expect_archive):
        tour = 'custmgmt_archive_tour' if expect_archive else 'custmgmt_archive_hidden_tour'
        self.start_tour(f"/odoo/res.partner/{self.customer.id}", tour, login=login, timeout=90)

    def test_salesperson_sees_the_archive(self):
        self._open('ui_sales', True)

    def test_manager_sees_the_archive(self):
        self._open('ui_manager', True)

    def test_plain_internal_user_does_not(self):
        self._open('ui_plain', False)


@tagged('post_install', '-at_install')
class TestScreensUi(HttpCase):
    """Each screen of the addon renders in a real browser without a console error."""

    def test_screens_render(self):
        # the screens and what each must show are listed in static/tests/tours/custmgmt_screens_tour.js
        self.start_tour("/odoo", 'custmgmt_screens_tour', login='admin', timeout=300)


@tagged('post_install', '-at_install')
class TestHandlerUi(HttpCase):
    """A production user opens a quality complaint linked to an order and an invoice."""

    def test_handler_opens_a_routed_complaint(self):
        company = self.env.company
        handler = new_test_user(self.env, login='ui_handler', groups='base.group_user,custmgmt_addon.group_custmgmt_complaint',
                                company_id=company.id, company_ids=[Command.set(company.ids)])
        self.env.ref('custmgmt_addon.department_production').member_ids = [Command.link(handler.id)]
        customer = self.env['res.partner'].create({'name': 'Ore Buyer Co', 'is_company': True})
        product = self.env['product.product'].create({'name': 'Moly rod'})
        order = self.env['sale.order'].create({'partner_id': customer.id, 'order_line': [
            Command.create({'product_id': product.id, 'product_uom_qty': 1, 'price_unit': 10})]})
        complaint = self.env['custmgmt.complaint'].create({
            'subject': 'Cracked rods', 'partner_id': customer.id, 'sale_order_id': order.id,
            'product_id': product.id,
            'category_id': self.env.ref('custmgmt_addon.complaint_category_product_quality').id})
        self.start_tour(f"/odoo/custmgmt.complaint/{complaint.id}", 'custmgmt_complaint_form_tour',
                        login='ui_handler', timeout=90)
