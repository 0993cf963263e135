from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .test_credit_flows import CustmgmtHoldCommon


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditExceptionScope(CustmgmtHoldCommon):
    """An approved exception covers that customer, that currency and at most
    that amount; the hold applies on every way to confirm."""

    def _approved(self, order, amount=None):
        vals = {'order_id': order.id, 'reason': 'Key account'}
        if amount is not None:
            vals['amount'] = amount
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(vals)
        exception.with_user(self.finance).action_approve()
        return exception

    def test_raising_the_amount_above_the_approval_holds_again(self):
        order = self._order(1500)
        self._approved(order)
        order.with_user(self.salesman).order_line.price_unit = 1400   # lower: still covered
        self.assertFalse(order.custmgmt_credit_hold)
        order.with_user(self.salesman).order_line.price_unit = 1600
        self.assertTrue(order.custmgmt_credit_hold)
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.salesman).action_confirm()
        order.with_user(self.salesman).order_line.price_unit = 1400
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_changing_the_customer_holds_again(self):
        order = self._order(1500)
        self._approved(order)
        other = self._customer("Other Debtor", user_id=self.salesman.id)
        other.with_company(self.company).sudo().credit_limit = 100
        with Form(order.with_user(self.salesman)) as form:
            form.partner_id = other
        self.assertEqual(order.partner_invoice_id, other)
        self.assertTrue(order.custmgmt_credit_hold)
        with self.assertRaisesRegex(UserError, "Other Debtor"):
            order.with_user(self.salesman).action_confirm()

    def test_changing_the_currency_holds_again(self):
        eur = self.setup_other_currency('EUR')  # 2 EUR for 1 company currency unit
        pricelist = self.env['product.pricelist'].create({'name': 'EUR', 'currency_id': eur.id})
        order = self._order(1500)
        self._approved(order)
        order.write({'pricelist_id': pricelist.id})
        order.order_line.write({'price_unit': 1500})  # 750 in company currency, same figure in EUR
        self.assertEqual(order.currency_id, eur)
        self.customer.with_company(self.company).sudo().credit_limit = 500
        self.assertTrue(order.custmgmt_credit_hold, "the approval was for the company currency")
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

    def test_a_direct_write_of_the_state_is_held(self):
        order = self._order(1500)
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.salesman).write({'state': 'sale'})
        self.assertEqual(order.state, 'draft')
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.sudo().write({'state': 'sale'})
        with self.assertRaisesRegex(UserError, "credit hold"):
            self.env['sale.order'].with_user(self.salesman).create({
                'partner_id': self.customer.id, 'state': 'sale',
                'order_line': [Command.create({'product_id': self.product_a.id, 'price_unit': 1500,
                                               'tax_id': [Command.clear()]})]})
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.salesman).copy({'state': 'sale'})

    def test_approved_amount_and_subject_are_fixed(self):
        order = self._order(1500)
        exception = self._approved(order)
        for vals in ({'amount': 5000}, {'order_id': self._order(10).id}, {'partner_id': self.payer.id}):
            with self.assertRaises(UserError):
                exception.with_user(self.finance).write(vals)
        with self.assertRaises(AccessError):
            exception.with_user(self.finance).write({'state': 'refused'})
        self.assertEqual((exception.amount, exception.state), (1500, 'approved'))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditFourEyes(CustmgmtHoldCommon):

    def test_finance_cannot_approve_their_own_request(self):
        order = self._order(1500)
        exception = self.env['custmgmt.credit.exception'].with_user(self.finance).create(
            {'order_id': order.id, 'reason': 'I vouch for them'})
        with self.assertRaisesRegex(AccessError, "another Finance user"):
            exception.with_user(self.finance).action_approve()
        self.assertEqual(exception.state, 'requested')
        # nor by requesting in someone else's name
        spoofed = self.env['custmgmt.credit.exception'].with_user(self.finance).create(
            {'order_id': order.id, 'reason': 'x', 'requester_id': self.salesman.id})
        self.assertEqual(spoofed.requester_id, self.finance)

    def test_every_decision_records_its_decider(self):
        order = self._order(1500)
        Exception_ = self.env['custmgmt.credit.exception'].with_user(self.salesman)
        approved = Exception_.create({'order_id': order.id, 'reason': 'a'})
        refused = Exception_.create({'order_id': order.id, 'reason': 'b'})
        approved.with_user(self.finance).action_approve()
        refused.with_user(self.finance).action_refuse()
        for exception in approved | refused:
            self.assertEqual(exception.decider_id, self.finance)
            self.assertTrue(exception.decision_date)
        self.assertIn(order.name, approved.display_name)
        self.assertIn("Credit Co", approved.display_name)


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditPartnerGuards(CustmgmtHoldCommon):

    def test_negative_credit_limit_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.with_company(self.company).sudo().credit_limit = -1
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env['custmgmt.credit.review'].with_user(self.salesman).create(
                {'partner_id': self.customer.id, 'requested_limit': -500})

    def test_credit_standing_and_dunning_level_are_finances(self):
        customer = self.customer.with_user(self.salesman)
        for vals in ({'custmgmt_credit_standing': 'good'}, {'custmgmt_dunning_level': 0}, {'custmgmt_dunning_date': False}):
            with self.assertRaises(AccessError):
                customer.write(vals)
        with self.assertRaises(AccessError):
            self.env['res.partner'].with_user(self.salesman).create({'name': 'New', 'custmgmt_credit_standing': 'good'})
        self.customer.sudo().custmgmt_credit_standing = 'watch'
        with self.assertRaises(AccessError):
            customer.copy()
        form = Form(customer)
        with self.assertRaises(AssertionError):
            form.custmgmt_credit_standing = 'good'  # read-only on the form
        self.finance.groups_id += self.env.ref('base.group_partner_manager')
        self.customer.with_user(self.finance).custmgmt_credit_standing = 'good'
        self.assertEqual(self.customer.custmgmt_credit_standing, 'good')

    def test_review_with_empty_payment_terms_keeps_the_current_terms(self):
        self.customer.with_company(self.company).sudo().property_payment_term_id = self.pay_terms_b
        review = self.env['custmgmt.credit.review'].with_user(self.salesman).create(
            {'partner_id': self.customer.id, 'requested_limit': 3000})
        review.with_user(self.finance).write({'reason': 'ok', 'licence_valid': True,
                                              'account_activity_verified': True})
        review.with_user(self.finance).action_approve()
        customer = self.customer.with_company(self.company).sudo()
        self.assertEqual((customer.credit_limit, customer.property_payment_term_id), (3000, self.pay_terms_b))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestReceivableFiguresAccess(CustmgmtHoldCommon):
    """Receivable figures are read by the same people as the aging report."""

    def test_users_read_the_figures_of_their_own_customers_only(self):
        self._invoice('2026-08-01', 700)
        colleague = new_test_user(
            self.env, login='cm_colleague2', name='Colin Colleague',
            groups='base.group_user,sales_team.group_sale_salesman',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        manager = new_test_user(
            self.env, login='cm_cm_manager', name='Max Manager',
            groups='base.group_user,custmgmt_addon.group_custmgmt_manager',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        figures = ('custmgmt_overdue_amount', 'custmgmt_aging_over_90', 'custmgmt_exposure', 'custmgmt_open_amount')
        for user, expected in ((self.salesman, 700), (self.finance, 700), (manager, 700), (colleague, 0)):
            self.env.invalidate_all()
            customer = self.customer.with_user(user)
            self.assertEqual([customer[fname] for fname in figures], [expected] * len(figures), user.name)
            self.assertEqual(customer.custmgmt_receivables_visible, bool(expected), user.name)
            self.assertEqual(customer.custmgmt_oldest_overdue_days, 115 if expected else 0, user.name)
        # the order banner shows the figures only to those who may read them
        order = self._order(100, partner=self.customer, user=self.salesman)
        self.assertIn("115 days", order.with_user(self.salesman).custmgmt_credit_status)
        order.sudo().user_id = colleague
        self.env.invalidate_all()
        self.assertNotIn("700", order.with_user(colleague).custmgmt_credit_status)
        with self.assertRaises(UserError) as refusal:
            order.with_user(colleague).action_confirm()
        self.assertNotIn("700", str(refusal.exception))

    def test_over_limit_filter_tells_users_of_their_own_customers_only(self):
        self._invoice('2026-11-01', 1500)
        colleague = new_test_user(
            self.env, login='cm_colleague3', name='Cleo Colleague',
            groups='base.group_user,sales_team.group_sale_salesman',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        domain = [('custmgmt_over_credit_limit', '=', True), ('id', '=', self.customer.id)]
        self.assertEqual(self.env['res.partner'].with_user(self.finance).search(domain), self.customer)
        self.assertEqual(self.env['res.partner'].with_user(self.salesman).search(domain), self.customer)
        self.assertFalse(self.env['res.partner'].with_user(colleague).search(domain))
        self.assertFalse(self.customer.with_user(colleague).custmgmt_over_credit_limit)

    def test_collection_activities_carry_no_amounts(self):
        self.company.sudo().custmgmt_collection_user_id = self.finance
        self._invoice('2026-11-14', 500)
        with freeze_time('2026-11-24'):
            self.env['custmgmt.collection']._run(self.company, today=date(2026, 11, 24))
        self.assertTrue(self.customer.with_user(self.plain_user).has_access('read'),
                        "every internal user reads the customer, its chatter and its activities")
        activity = self.env['mail.activity'].sudo().search(
            [('res_model', '=', 'res.partner'), ('res_id', '=', self.customer.id)])
        self.assertTrue(activity)
        self.assertNotIn('500', activity.summary + str(activity.note))
        self.assertIn('custmgmt_overdue_list_action', str(activity.note))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestDunningPerCompany(CustmgmtHoldCommon):

    def test_a_shared_customer_gets_a_letter_per_company_about_its_items(self):
        company_2 = self.setup_other_company(name='Second Steel Ltd')['company']
        company_2.sudo().write({'email': 'ar@second-steel.example.com', 'street': '2 Mill Road'})
        self.company.sudo().write({'email': 'ar@first.example.com', 'street': '1 Forge Lane'})
        self.assertFalse(self.customer.company_id, "a shared customer")
        first = self._invoice('2026-09-15', 500)
        second = self._invoice('2026-09-10', 400, company=company_2)
        for company in (self.company, company_2):
            self.env['custmgmt.collection']._run(company, today=date(2026, 11, 24))
        letters = self.env['mail.mail'].sudo().search([('model', '=', 'res.partner'), ('res_id', '=', self.customer.id)])
        self.assertEqual(len(letters), 2)
        by_sender = {letter.email_from: letter for letter in letters}
        mine = next(letter for sender, letter in by_sender.items() if 'ar@first.example.com' in sender)
        theirs = next(letter for sender, letter in by_sender.items() if 'ar@second-steel.example.com' in sender)
        self.assertIn(self.company.name, mine.subject)
        self.assertIn('Second Steel Ltd', theirs.subject)
        self.assertIn(first.name, str(mine.body_html))
        self.assertIn('09/15/2026', str(mine.body_html))
        self.assertNotIn('09/10/2026', str(mine.body_html))
        self.assertIn(second.name, str(theirs.body_html))
        self.assertIn('09/10/2026', str(theirs.body_html))
        self.assertNotIn('09/15/2026', str(theirs.body_html))
        self.assertIn('2 Mill Road', str(theirs.body_html))
        self.assertNotIn('500', str(mine.body_html), "references and due dates, no amounts in the chatter")


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditUiPaths(CustmgmtHoldCommon):
    """The buttons' paths: requesting an exception from the order, the hold
    setting in Settings."""

    def test_request_from_the_order_button_through_the_form(self):
        order = self._order(1500)
        action = order.with_user(self.salesman).action_custmgmt_request_credit_exception()
        form = Form(self.env[action['res_model']].with_user(self.salesman).with_context(**action['context']))
        self.assertEqual(form.amount, 1500)
        form.reason = "Year-end order"
        exception = form.save()
        self.assertEqual((exception.order_id, exception.partner_id, exception.requester_id, exception.state),
                         (order, self.customer, self.salesman, 'requested'))
        with Form(exception.with_user(self.finance)) as decided:
            with self.assertRaises(AssertionError):
                decided.amount = 5000  # read-only once requested
            decided.decision_note = "Fine this once"
        exception.with_user(self.finance).action_approve()
        self.assertEqual(exception.decision_note, "Fine this once")

    def test_hold_setting_in_settings(self):
        company = self.env['res.company'].create({'name': 'Fresh Co'})
        self.assertFalse(company.custmgmt_credit_hold_enabled, "installing or adding a company blocks nothing")
        settings = Form(self.env['res.config.settings'].with_user(self.sysadmin))
        settings.custmgmt_credit_hold_enabled = False
        settings.save().execute()
        self.assertFalse(self.company.custmgmt_credit_hold_enabled)
        order = self._order(5000)
        order.action_confirm()
        self.assertEqual(order.state, 'sale', "with the hold off, core's credit limit only warns")
