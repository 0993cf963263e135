from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CustmgmtCreditCommon


class CustmgmtHoldCommon(CustmgmtCreditCommon):
    """A company that holds orders, and a customer with a credit limit of
    1,000 and an invoicing contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().write({'custmgmt_credit_hold_enabled': True})
        cls.customer.with_company(cls.company).sudo().credit_limit = 1000
        cls.payer = cls.env['res.partner'].create({'name': 'Accounts payable', 'parent_id': cls.customer.id,
                                                   'type': 'invoice', 'email': 'ap@credit.example.com'})

    def _activities(self, record, activity_type):
        return self.env['mail.activity'].sudo().search([
            ('res_model', '=', record._name), ('res_id', '=', record.id),
            ('activity_type_id', '=', self.env.ref(activity_type).id)])


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditPaidOnline(CustmgmtHoldCommon):
    """An order paid online is confirmed though the hold would apply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env['payment.provider'].create({
            'name': "Test provider", 'code': 'none', 'state': 'test', 'is_published': True,
            'company_id': cls.company.id,
            'payment_method_ids': [Command.set([cls.env.ref('payment.payment_method_unknown').id])],
        })
        # as account_payment's own tests do: a payment method for the provider, so that a
        # done transaction makes its payment
        Method = cls.env.registry['account.payment.method']
        information = cls.env['account.payment.method']._get_payment_method_information

        def _information(*args, **kwargs):
            return dict(information(), none={'mode': 'electronic', 'type': ('bank',)})

        with patch.object(Method, '_get_payment_method_information', _information):
            cls.env['account.payment.method'].sudo().create(
                {'name': 'Test method', 'code': 'none', 'payment_type': 'inbound'})
            cls.provider.journal_id = cls.company_data['default_journal_bank']

    def _transaction(self, order, amount, state='done', reference='TX-1'):
        return self.env['payment.transaction'].sudo().create({
            'provider_id': self.provider.id, 'payment_method_id': self.env.ref('payment.payment_method_unknown').id,
            'amount': amount, 'currency_id': order.currency_id.id, 'partner_id': order.partner_id.id,
            'reference': reference, 'operation': 'online_redirect', 'sale_order_ids': [Command.set(order.ids)],
            'state': state,
        })

    def test_done_payment_confirms_a_held_order_and_tells_finance(self):
        order = self._order(1500)
        self.assertTrue(order.custmgmt_credit_hold, "1,500 is over the 1,000 limit")
        tx = self._transaction(order, 1500)
        tx._post_process()
        self.assertEqual(order.state, 'sale', "the payment is the collateral")
        note = order.message_ids.filtered(lambda message: 'credit hold' in (message.body or ''))
        self.assertEqual(len(note), 1)
        self.assertIn('TX-1', note.body)
        self.assertNotIn('1,000', note.body, "no credit figures in the order's chatter")
        self.assertTrue(note.subtype_id.internal, "an internal note, for Finance")

    def test_prepayment_covering_the_required_amount_is_enough(self):
        order = self._order(1500)
        order.sudo().write({'require_payment': True, 'prepayment_percent': 0.3})
        self._transaction(order, 450)._post_process()
        self.assertEqual(order.state, 'sale')

    def test_a_payment_short_of_the_required_amount_leaves_the_hold(self):
        order = self._order(1500)
        self._transaction(order, 100)._post_process()
        self.assertIn(order.state, ('draft', 'sent'))
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.salesman).action_confirm()

    def test_an_authorized_payment_waits_for_finance_without_raising(self):
        order = self._order(1500)
        self.provider.support_manual_capture = 'partial'
        tx = self._transaction(order, 1500, state='authorized')
        self.assertTrue(tx._check_amount_and_confirm_order() is not None)
        self.assertIn(order.state, ('draft', 'sent'))
        self.assertTrue(order.custmgmt_credit_awaiting)
        self.assertTrue(order.custmgmt_credit_exception_ids.filtered(lambda e: e.state == 'requested'))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditSubject(CustmgmtHoldCommon):
    """The customer who pays (commercial partner of the invoice address)
    decides, everywhere."""

    def test_the_invoicing_customer_decides_the_hold(self):
        other = self._customer("Distributor Co", user_id=self.salesman.id)
        # ordered by the distributor, invoiced to Credit Co (over its limit)
        order = self._order(1500, partner=other)
        order.with_user(self.salesman).partner_invoice_id = self.payer
        self.assertTrue(order.custmgmt_credit_hold)
        self.assertIn("Credit Co", order.custmgmt_credit_status)
        with self.assertRaisesRegex(UserError, "Credit Co"):
            order.with_user(self.salesman).action_confirm()
        # ordered by Credit Co, invoiced to the distributor (no limit): no hold
        order = self._order(1500)
        order.with_user(self.salesman).partner_invoice_id = other
        self.assertFalse(order.custmgmt_credit_hold)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, 'sale')
        # and the exposure counts it for the distributor, not for Credit Co
        self.env.invalidate_all()
        self.assertAlmostEqual(other.with_user(self.salesman).custmgmt_exposure, 1500)
        self.assertAlmostEqual(self.customer.with_user(self.salesman).custmgmt_exposure, 0)

    def test_the_exception_is_for_the_invoicing_customer(self):
        other = self._customer("Distributor Co", user_id=self.salesman.id)
        order = self._order(1500, partner=other)
        order.partner_invoice_id = self.payer
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(
            {'order_id': order.id, 'reason': 'Year-end order'})
        self.assertEqual(exception.partner_id, self.customer)


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditExceptionNotifications(CustmgmtHoldCommon):

    def test_request_asks_the_finance_users_and_the_decision_tells_the_requester(self):
        other_finance = new_test_user(
            self.env, login='cm_finance_2', name='Fred Finance', groups='base.group_user,custmgmt_addon.group_custmgmt_finance',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        order = self._order(1500)
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(
            {'order_id': order.id, 'reason': 'Key account'})
        asked = self._activities(exception, 'custmgmt_addon.mail_activity_type_credit_exception')
        self.assertIn(self.finance, asked.user_id)
        self.assertIn(other_finance, asked.user_id)
        self.assertNotIn(self.salesman, asked.user_id)
        self.assertFalse(any('1,500' in (activity.summary or '') for activity in asked), "no figures in summaries")
        exception.with_user(self.finance).action_approve()
        self.assertFalse(self._activities(exception, 'custmgmt_addon.mail_activity_type_credit_exception'),
                         "the decision closes the activities")
        told = exception.message_ids.filtered(lambda message: self.salesman.partner_id in message.partner_ids)
        self.assertEqual(len(told), 1)
        self.assertIn('approved by Fiona Finance', told.body)

    def test_collection_user_is_asked_and_a_refusal_is_told(self):
        collector = new_test_user(
            self.env, login='cm_collector', name='Cora Collector',
            groups='base.group_user,custmgmt_addon.group_custmgmt_finance',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.company.sudo().custmgmt_collection_user_id = collector
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(
            {'order_id': self._order(1500).id, 'reason': 'Key account'})
        asked = self._activities(exception, 'custmgmt_addon.mail_activity_type_credit_exception')
        self.assertEqual(asked.user_id, collector)
        exception.with_user(collector).write({'decision_note': 'Pay the old invoices first'})
        exception.with_user(collector).action_refuse()
        told = exception.message_ids.filtered(lambda message: self.salesman.partner_id in message.partner_ids)
        self.assertIn('refused by Cora Collector', told.body)
        self.assertIn('Pay the old invoices first', told.body)
        self.assertEqual(exception.decider_id, collector)


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditInvoiceGate(CustmgmtHoldCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().custmgmt_invoice_gate = True
        cls.accountant = new_test_user(
            cls.env, login='cm_accountant', name='Anna Accountant',
            groups='base.group_user,account.group_account_invoice',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def test_gate_is_off_by_default(self):
        self.assertFalse(self.env['res.company'].create({'name': 'New Co'}).custmgmt_invoice_gate)
        self.company.sudo().custmgmt_invoice_gate = False
        invoice = self._invoice('2026-11-24', 5000, post=False)
        invoice.action_post()
        self.assertEqual(invoice.state, 'posted')

    def test_a_manual_invoice_over_the_limit_is_held(self):
        invoice = self._invoice('2026-11-24', 1500, post=False)
        self.assertTrue(invoice.custmgmt_credit_hold)
        with self.assertRaisesRegex(UserError, "(?s)Held by the credit gate.*Credit Co"):
            invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, 'draft')
        invoice.button_cancel()  # a draft counts in the exposure until cancelled
        within = self._invoice('2026-11-24', 900, post=False)
        within.with_user(self.accountant).action_post()
        self.assertEqual(within.state, 'posted')

    def test_a_batch_posts_the_others_and_says_which_were_held(self):
        free = self._customer("Free Co")
        held = self._invoice('2026-11-24', 1500, post=False)
        others = self._invoice('2026-11-24', 700, post=False, partner=free) \
            | self._invoice('2026-11-24', 800, post=False, partner=free)
        result = (held | others).with_user(self.accountant).action_post()
        self.assertEqual(others.mapped('state'), ['posted', 'posted'])
        self.assertEqual(held.state, 'draft')
        self.assertEqual(result['tag'], 'display_notification')
        self.assertIn(held.display_name, result['params']['message'])
        self.assertNotIn(others[0].display_name, result['params']['message'])
        self.assertTrue(held.message_ids.filtered(lambda message: 'credit gate' in (message.body or '')))
        # the batch-validation wizard goes the same way
        again = self._invoice('2026-11-24', 100, post=False, partner=free)
        (held | again).with_user(self.accountant)._post(soft=False)
        self.assertEqual((held.state, again.state), ('draft', 'posted'))

    def test_the_same_finance_exception_lets_it_post(self):
        invoice = self._invoice('2026-11-24', 1500, post=False)
        invoice.sudo().invoice_user_id = self.salesman
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(
            {'move_id': invoice.id, 'reason': 'Service contract'})
        self.assertEqual((exception.partner_id, exception.amount), (self.customer, 1500))
        exception.with_user(self.finance).action_approve()
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, 'posted')

    def test_invoices_of_confirmed_orders_are_never_held_again(self):
        order = self._order(900)
        order.action_confirm()
        self.company.sudo().custmgmt_invoice_gate = False
        self._invoice('2026-11-24', 900)  # now far over the limit
        self.company.sudo().custmgmt_invoice_gate = True
        invoice = order.sudo()._create_invoices()
        self.assertFalse(invoice.custmgmt_credit_hold)
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, 'posted')


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditDrillDown(CustmgmtHoldCommon):

    def test_each_figure_opens_the_items_behind_it(self):
        self.company.sudo().custmgmt_credit_hold_enabled = False
        self._invoice('2026-11-01', 100, due='2026-12-10')   # not due
        self._invoice('2026-10-10', 200)                      # 45 days
        self._invoice('2026-08-01', 300)                      # 115 days
        draft = self._invoice('2026-11-20', 50, post=False)
        order = self._order(400)
        order.action_confirm()
        customer = self.customer.with_user(self.salesman)

        def open_(figure):
            action = customer.with_context(custmgmt_figure=figure).action_custmgmt_open_credit_figure()
            return self.env[action['res_model']].with_user(self.salesman).search(action['domain'])

        Aging = self.env['custmgmt.receivable.aging']
        total = {figure: sum(open_(figure).mapped('amount_residual'))
                 for figure in ('open', 'overdue', 'not_due', '31_60', 'over_90', '1_30')}
        self.assertEqual(total, {'open': 600, 'overdue': 500, 'not_due': 100, '31_60': 200, 'over_90': 300,
                                 '1_30': 0})
        self.assertEqual(open_('open')._name, Aging._name)
        self.assertEqual(sum(open_('open').mapped('amount_residual')), customer.custmgmt_open_amount)
        self.assertEqual(sum(open_('overdue').mapped('amount_residual')), customer.custmgmt_overdue_amount)
        self.assertEqual(open_('draft'), draft)
        self.assertEqual(open_('to_invoice'), order)
        self.assertAlmostEqual(customer.custmgmt_to_invoice, 400)
        with self.assertRaises(UserError):
            customer.with_context(custmgmt_figure='nonsense').action_custmgmt_open_credit_figure()


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestOverCreditLimit(CustmgmtHoldCommon):

    def test_over_limit_filter_on_customers_and_in_the_aging_report(self):
        within = self._customer("Within Co", user_id=self.salesman.id)
        within.with_company(self.company).sudo().credit_limit = 5000
        no_limit = self._customer("No Limit Co", user_id=self.salesman.id)
        self._invoice('2026-11-01', 1200)                     # Credit Co: 1,200 > 1,000
        self._invoice('2026-11-01', 1200, partner=within)
        self._invoice('2026-11-01', 9000, partner=no_limit)
        Partner = self.env['res.partner'].with_user(self.finance)
        over = Partner.search([('custmgmt_over_credit_limit', '=', True), ('parent_id', '=', False)])
        self.assertIn(self.customer, over)
        self.assertNotIn(within, over)
        self.assertNotIn(no_limit, over)
        self.assertIn(within, Partner.search([('custmgmt_over_credit_limit', '=', False)]))
        self.assertTrue(self.customer.with_user(self.finance).custmgmt_over_credit_limit)
        self.assertFalse(within.with_user(self.finance).custmgmt_over_credit_limit)
        rows = self.env['custmgmt.receivable.aging'].with_user(self.finance).search(
            [('over_credit_limit', '=', True)])
        self.assertEqual(rows.partner_id, self.customer)

    def test_company_default_limit_counts(self):
        self.env['ir.default'].sudo().set('res.partner', 'credit_limit', 500.0, company_id=self.company.id)
        plain = self._customer("Default Limit Co")
        self._invoice('2026-11-01', 600, partner=plain)
        self.assertIn(plain, self.env['res.partner'].with_user(self.finance).search(
            [('custmgmt_over_credit_limit', '=', True)]))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditCheckQueries(CustmgmtHoldCommon):
    """The check reads the customer's position with one grouped query, and
    the banner costs no more than the check."""

    def test_one_grouped_query_for_exposure_and_oldest_overdue(self):
        self._invoices([(self.customer, '2026-08-01', 100 + n) for n in range(10)])
        customer = self.customer.sudo()
        customer._custmgmt_credit_positions(self.company)  # warm the registry
        with self.assertQueryCount(1):
            position = customer._custmgmt_credit_positions(self.company)
        self.assertAlmostEqual(position[customer.id]['exposure'], sum(100 + n for n in range(10)))
        self.assertEqual(position[customer.id]['oldest'], 115)

    def test_banner_costs_no_more_than_the_check(self):
        order = self._order(300)
        self.env.invalidate_all()
        _warm = order.custmgmt_credit_status
        self.env.invalidate_all()
        order.mapped('state')
        order.partner_invoice_id.commercial_partner_id.mapped('name')
        before = self.env.cr.sql_log_count
        _status = order.custmgmt_credit_status
        banner = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        order.mapped('state')
        order.partner_invoice_id.commercial_partner_id.mapped('name')
        before = self.env.cr.sql_log_count
        order._custmgmt_credit_checks()
        check = self.env.cr.sql_log_count - before
        self.assertLessEqual(banner, check)
        self.assertLessEqual(check, 6, "the position query, the limit, the exceptions and the rights")

    def test_hold_is_off_without_the_company_setting(self):
        self.company.sudo().custmgmt_credit_hold_enabled = False
        order = self._order(5000)
        self.assertFalse(order.custmgmt_credit_hold)
        self.assertFalse(order.custmgmt_credit_status)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_form_shows_the_hold_of_the_invoicing_customer(self):
        other = self._customer("Distributor Co", user_id=self.salesman.id)
        self.salesman.groups_id += self.env.ref('account.group_delivery_invoice_address')
        form = Form(self.env['sale.order'].with_user(self.salesman))
        form.partner_id = other
        with form.order_line.new() as line:
            line.product_id = self.product_a
            line.price_unit = 1500
            line.tax_id.clear()
        self.assertFalse(form.custmgmt_credit_hold)
        form.partner_invoice_id = self.payer
        self.assertTrue(form.custmgmt_credit_hold)
