from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

# Waits for the partner form, checks the Customer Archive tab against what the
# user may see, opens it and checks what is shown. Fails on any console error.
CHECK_FORM = """
(async () => {
    const until = async (selector, ms = 15000) => {
        const start = Date.now();
        while (Date.now() - start < ms) {
            const el = document.querySelector(selector);
            if (el) { return el; }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error("not found: " + selector);
    };
    try {
        await until(".o_form_view .o_field_widget[name='name']");
        const tab = document.querySelector(".o_notebook .nav-link[name='custmgmt_archive']");
        if (%(expect_archive)s) {
            if (!tab) { throw new Error("the Customer Archive tab is missing"); }
            tab.click();
            const chain = await until(".o_field_widget[name='custmgmt_decision_member_ids'] .o_data_row");
            if (!chain.textContent.includes("Li Na")) { throw new Error("decision chain not shown"); }
            const rival = await until(".o_field_widget[name='custmgmt_competitor_line_ids'] .o_data_row");
            if (!rival.textContent.includes("Rival Metals")) { throw new Error("competitor not shown"); }
            const standing = await until(".o_field_widget[name='custmgmt_credit_standing']");
            if (!standing.textContent.includes("Watch")) { throw new Error("credit standing not shown"); }
        } else if (tab) {
            throw new Error("the Customer Archive tab is shown to a user outside the groups");
        }
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""


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
        self.browser_js(f"/odoo/res.partner/{self.customer.id}",
                        CHECK_FORM % {'expect_archive': 'true' if expect_archive else 'false'},
                        login=login, timeout=90)

    def test_salesperson_sees_the_archive(self):
        self._open('ui_sales', True)

    def test_manager_sees_the_archive(self):
        self._open('ui_manager', True)

    def test_plain_internal_user_does_not(self):
        self._open('ui_plain', False)


WAIT_FOR = """
(async () => {
    const start = Date.now();
    while (Date.now() - start < 20000) {
        if (document.querySelector(%(selector)r)) { console.log("test successful"); return; }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.error("not found: " + %(selector)r);
})();
"""


@tagged('post_install', '-at_install')
class TestScreensUi(HttpCase):
    """Each screen of the addon renders in a real browser without a console error."""

    def _screen(self, path, selector, login='admin'):
        self.browser_js(path, WAIT_FOR % {'selector': selector}, login=login, timeout=90)

    def test_screens_render(self):
        screens = [
            ("/odoo/action-custmgmt_addon.custmgmt_customer_action", ".o_kanban_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_decision_member_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_competitor_line_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_tier_register_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_tier_history_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_partner_sales_month_action", ".o_graph_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_tier_preview_wizard_action",
             ".modal .o_field_widget[name='months']"),
            ("/odoo/action-custmgmt_addon.custmgmt_complaint_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_complaint_action/new", ".o_form_view .o_field_widget[name='category_id']"),
            ("/odoo/action-custmgmt_addon.custmgmt_complaint_analysis_action", ".o_graph_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_objection_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_dispute_action/new", ".o_form_view .o_field_widget[name='resolution_basis']"),
            ("/odoo/action-custmgmt_addon.custmgmt_department_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_credit_exception_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_credit_review_action/new",
             ".o_form_view .o_field_widget[name='requested_limit']"),
            ("/odoo/action-custmgmt_addon.custmgmt_receivable_aging_action", ".o_pivot_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_overdue_list_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_payment_behaviour_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_credit_policy_wizard_action",
             ".modal .o_field_widget[name='hold_overdue_days']"),
            ("/odoo/action-custmgmt_addon.custmgmt_credit_exception_log_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_visit_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_visit_action/new", ".o_form_view .o_field_widget[name='purpose_ids']"),
            ("/odoo/action-custmgmt_addon.custmgmt_visit_today_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_visit_calendar_action", ".o_calendar_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_visit_purpose_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_survey_plan_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_survey_answer_action", ".o_list_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_visit_analysis_action", ".o_pivot_view"),
            ("/odoo/action-custmgmt_addon.custmgmt_satisfaction_analysis_action", ".o_graph_view"),
            ("/odoo/action-sale.action_quotations_with_onboarding/new",
             ".o_form_view .o_field_widget[name='partner_id']"),
            ("/odoo/settings#custmgmt_addon", ".o_setting_box #custmgmt_tier_method, "
                                               "[name='custmgmt_tier_method']"),
            ("/odoo/settings#custmgmt_addon", "[name='custmgmt_visit_days_a']"),
        ]
        for path, selector in screens:
            with self.subTest(path=path):
                self._screen(path, selector)


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
        self.browser_js(f"/odoo/custmgmt.complaint/{complaint.id}",
                        WAIT_FOR % {'selector': ".o_form_view .o_field_widget[name='product_id']"},
                        login='ui_handler', timeout=90)
