from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CustmgmtCreditCommon


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCreditHold(CustmgmtCreditCommon):
    """The credit hold on order confirmation, credit exceptions, credit
    reviews and the policy, on 24 Nov 2026 (hold after 90 days overdue)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().write({'account_use_credit_limit': True, 'custmgmt_credit_hold_enabled': True})

    def _set_limit(self, amount):
        self.customer.with_company(self.company).sudo().credit_limit = amount

    def test_hold_for_the_credit_limit(self):
        self._set_limit(5000)
        self._invoice('2026-11-20', 4000, due='2026-12-20')
        within = self._order(1000)
        within.action_confirm()
        self.assertEqual(within.state, 'sale', "exposure + order = limit is allowed")
        over = self._order(1500)
        self.assertTrue(over.custmgmt_credit_hold)
        self.assertIn("credit limit", over.custmgmt_credit_status)
        # the message names the limit, the exposure (4,000 open + 1,000 ordered), this order and the overdue
        with self.assertRaisesRegex(UserError, r"(?s)over its credit limit.*credit limit .*5,000\.00, "
                                               r"exposure .*5,000\.00, this order .*1,500\.00; overdue .*0\.00"):
            over.action_confirm()
        self.assertEqual(over.state, 'draft', "a refused confirmation confirms nothing")

    def test_hold_for_the_limit_without_the_core_setting(self):
        self.company.sudo().account_use_credit_limit = False
        self._set_limit(2000)
        self._order(1500).action_confirm()
        over = self._order(600)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            over.action_confirm()

    def test_orders_confirmed_together_count_together(self):
        self._set_limit(2000)
        first, second = self._order(1200), self._order(1200)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            (first | second).action_confirm()
        self.assertEqual((first.state, second.state), ('draft', 'draft'))
        first.action_confirm()
        self.assertEqual(first.state, 'sale')

    def test_no_limit_no_overdue_no_hold(self):
        self._invoice('2026-10-01', 50000)  # 54 days overdue: below the 90-day hold
        order = self._order(10 ** 6)
        self.assertFalse(order.custmgmt_credit_hold)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_hold_for_overdue_and_the_exception_flow(self):
        self._invoice('2026-08-01', 100)  # 115 days overdue, over the 90-day hold
        order = self._order(300)
        with self.assertRaisesRegex(UserError, r"overdue too long(?s:.*)oldest item 115 days overdue"):
            order.action_confirm()
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create({
            'order_id': order.id, 'reason': 'Customer pays the old invoice next week; line stop otherwise'})
        self.assertEqual((exception.amount, exception.requester_id, exception.state), (300, self.salesman, 'requested'))
        with self.assertRaises(AccessError):
            exception.with_user(self.salesman).action_approve()
        with self.assertRaises(UserError):
            order.action_confirm()
        exception.with_user(self.finance).action_approve()
        self.assertEqual((exception.state, exception.decider_id), ('approved', self.finance))
        self.assertTrue(exception.decision_date)
        # the approval is for this order and this amount only
        order.order_line.price_unit = 350
        self.assertTrue(order.custmgmt_credit_hold)
        with self.assertRaises(UserError):
            order.action_confirm()
        order.order_line.price_unit = 300
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
        other = self._order(300)
        with self.assertRaises(UserError):
            other.action_confirm()
        refused = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(
            {'order_id': other.id, 'reason': 'Same again'})
        refused.with_user(self.finance).action_refuse()
        self.assertEqual((refused.state, refused.decider_id), ('refused', self.finance))
        with self.assertRaises(UserError):
            other.action_confirm()
        with self.assertRaisesRegex(UserError, "already been decided"):
            refused.with_user(self.finance).action_approve()

    def test_only_finance_decides_exceptions(self):
        order = self._order(300)
        Exception_ = self.env['custmgmt.credit.exception'].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Exception_.create({'order_id': order.id, 'reason': 'x', 'state': 'approved'})
        with self.assertRaises(AccessError):
            Exception_.create({'order_id': order.id, 'reason': 'x', 'decider_id': self.salesman.id})
        exception = Exception_.create({'order_id': order.id, 'reason': 'x'})
        with self.assertRaises(AccessError):
            exception.write({'state': 'approved'})
        with self.assertRaises(AccessError):
            exception.with_user(self.manager).action_approve()

    def test_users_request_exceptions_for_their_own_customers(self):
        colleague = new_test_user(
            self.env, login='cm_colleague', name='Colin Colleague',
            groups='base.group_user,sales_team.group_sale_salesman_all_leads',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        order = self._order(300)
        with self.assertRaises(AccessError):
            self.env['custmgmt.credit.exception'].with_user(colleague).create({'order_id': order.id, 'reason': 'x'})
        by_manager = self.env['custmgmt.credit.exception'].with_user(self.manager).create(
            {'order_id': order.id, 'reason': 'Key account'})
        self.assertEqual(by_manager.requester_id, self.manager)

    def test_exception_visibility(self):
        order = self._order(100)
        mine = self.env['custmgmt.credit.exception'].with_user(self.salesman).create(
            {'order_id': order.id, 'reason': 'x'})
        stranger = self._customer("Stranger Co")
        theirs = self.env['custmgmt.credit.exception'].sudo().create(
            {'order_id': self._order(100, partner=stranger).sudo().id, 'reason': 'y',
             'requester_id': self.manager.id})
        theirs.order_id.sudo().user_id = self.manager
        Exception_ = self.env['custmgmt.credit.exception']
        self.assertEqual(Exception_.with_user(self.salesman).search([]), mine)
        self.assertEqual(Exception_.with_user(self.finance).search([]), mine | theirs)
        self.assertFalse(Exception_.with_user(self.plain_user).has_access('read'))

    def test_order_form_shows_the_credit_status(self):
        self._set_limit(1000)
        self._invoice('2026-10-01', 400)
        form = Form(self.env['sale.order'].with_user(self.salesman))
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.product_a
            line.price_unit = 500
            line.tax_id.clear()
        self.assertFalse(form.custmgmt_credit_hold, "400 + 500 is within 1,000")
        self.assertIn("oldest item 54 days overdue", form.custmgmt_credit_status)
        with form.order_line.edit(0) as line:
            line.price_unit = 700
        self.assertTrue(form.custmgmt_credit_hold)
        order = form.save()
        self.assertEqual(order.state, 'draft')

    def test_credit_review_sets_the_terms_only_when_finance_approves(self):
        Review = self.env['custmgmt.credit.review']
        with self.assertRaises(AccessError):
            Review.with_user(self.salesman).create({'partner_id': self.customer.id, 'state': 'approved'})
        review = Review.with_user(self.salesman).create({
            'partner_id': self.customer.id, 'requested_limit': 50000, 'payment_term_id': self.pay_terms_b.id,
            'credit_standing': 'good'})
        self.env['ir.attachment'].create({'name': 'business_licence.pdf', 'raw': b'%PDF',
                                          'res_model': review._name, 'res_id': review.id})
        self.assertEqual(review.evidence_count, 1)
        with self.assertRaises(AccessError):
            review.with_user(self.salesman).action_approve()
        as_finance = review.with_user(self.finance)
        with self.assertRaisesRegex(UserError, "reason"):
            as_finance.action_approve()
        as_finance.reason = "Licence checked; two years of regular payments"
        with self.assertRaisesRegex(UserError, "business licence"):
            as_finance.action_approve()
        as_finance.write({'licence_valid': True, 'account_activity_verified': True})
        as_finance.action_approve()
        customer = self.customer.with_company(self.company).sudo()
        self.assertEqual((customer.credit_limit, customer.property_payment_term_id, customer.custmgmt_credit_standing),
                         (50000, self.pay_terms_b, 'good'))
        self.assertEqual(str(customer.custmgmt_last_credit_review_date), '2026-11-24')
        self.assertEqual((review.state, review.decider_id), ('approved', self.finance))
        later = Review.with_user(self.salesman).create({'partner_id': self.customer.id, 'requested_limit': 80000})
        later.with_user(self.finance).write({'reason': 'Late payments this year'})
        later.with_user(self.finance).action_reject()
        self.assertEqual(customer.credit_limit, 50000, "a rejection changes nothing")
        self.assertEqual(Review.search_count([('partner_id', '=', self.customer.id)]), 2, "earlier reviews stay")
        with self.assertRaisesRegex(UserError, "kept as history"):
            review.with_user(self.finance).unlink()

    def test_finance_edits_the_policy_without_settings_rights(self):
        wizard = self.env['custmgmt.credit.policy.wizard'].with_user(self.finance).create({})
        self.assertEqual((wizard.long_overdue_days, wizard.large_overdue_amount, wizard.hold_overdue_days,
                          wizard.dunning_interval_days), (60, 10000, 90, 15))
        wizard.write({'hold_overdue_days': 45, 'collection_user_id': self.finance.id})
        wizard.action_apply()
        self.assertEqual((self.company.custmgmt_hold_overdue_days, self.company.custmgmt_collection_user_id),
                         (45, self.finance))
        with self.assertRaises(ValidationError):
            self.env['custmgmt.credit.policy.wizard'].with_user(self.finance).create({'dunning_interval_days': 0})
        with self.assertRaises(AccessError):
            self.env['custmgmt.credit.policy.wizard'].with_user(self.salesman).create({})
        # and runs the collection now
        self._invoice('2026-11-14', 500)
        action = self.env['custmgmt.credit.policy.wizard'].with_user(self.finance).create({}).action_run_collection()
        self.assertEqual(action['tag'], 'display_notification')
        reminder = self.env['mail.activity'].search([('res_model', '=', 'res.partner'),
                                                     ('res_id', '=', self.customer.id)])
        self.assertEqual((reminder.user_id, reminder.activity_type_id),
                         (self.finance, self.env.ref('custmgmt_addon.mail_activity_type_payment_reminder')))
