from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CustmgmtCommon


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestCredit(CustmgmtCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().account_use_credit_limit = True
        cls.finance = new_test_user(
            cls.env, login='cm_finance', name='Fiona Finance',
            groups='base.group_user,custmgmt_addon.group_custmgmt_finance',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.customer = cls._customer("Credit Co", user_id=cls.salesman.id)

    def _invoice(self, date, amount, due=None, partner=None, move_type='out_invoice', currency=None, post=True):
        vals = {
            'move_type': move_type, 'partner_id': (partner or self.customer).id,
            'invoice_date': date, 'date': date, 'invoice_date_due': due or date,
            'invoice_line_ids': [Command.create({'name': 'goods', 'quantity': 1, 'price_unit': amount,
                                                 'tax_ids': []})],
        }
        if currency:
            vals['currency_id'] = currency.id
        move = self.env['account.move'].create(vals)
        if post:
            move.action_post()
        return move

    def _pay(self, invoice, amount, date):
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=invoice.ids).create({
                'amount': amount, 'payment_date': date})._create_payments()

    def _order(self, amount, partner=None):
        return self.env['sale.order'].with_user(self.salesman).create({
            'partner_id': (partner or self.customer).id,
            'order_line': [Command.create({'product_id': self.product_a.id, 'product_uom_qty': 1,
                                           'price_unit': amount, 'tax_id': []})],
        })

    def test_figures_against_hand_computed_values(self):
        eur = self.setup_other_currency('EUR')  # 2 EUR for 1 company currency unit
        contact = self.env['res.partner'].create({'name': 'Buyer', 'parent_id': self.customer.id})
        order = self._order(1000)
        order.action_confirm()                                               # confirmed, not invoiced
        self._invoice('2026-11-01', 1000, due='2026-12-10')                # not due
        partial = self._invoice('2026-10-10', 2000)                          # 45 days, 500 paid
        self._pay(partial, 500, '2026-11-01')
        self._invoice('2026-08-01', 3000)                                    # 115 days
        self._invoice('2026-11-15', 200, move_type='out_refund')             # credit note, 9 days
        self._invoice('2026-09-20', 700, partner=contact)                    # 65 days, child contact
        self._invoice('2026-11-10', 600, currency=eur)                       # 14 days, 300 in company currency
        self._invoice('2026-11-20', 400, post=False)                         # draft
        late = self._invoice('2026-09-01', 800)                              # paid 20 days late
        self._pay(late, 800, '2026-09-21')
        early = self._invoice('2026-09-15', 100, due='2026-10-01')           # paid before its due date
        self._pay(early, 100, '2026-09-28')
        self.env.invalidate_all()  # as a new request would: the figures are computed when read
        figures = self.customer.with_user(self.salesman)
        self.assertAlmostEqual(figures.custmgmt_aging_not_due, 1000)
        self.assertAlmostEqual(figures.custmgmt_aging_1_30, -200 + 300)
        self.assertAlmostEqual(figures.custmgmt_aging_31_60, 1500)
        self.assertAlmostEqual(figures.custmgmt_aging_61_90, 700)
        self.assertAlmostEqual(figures.custmgmt_aging_over_90, 3000)
        self.assertAlmostEqual(figures.custmgmt_overdue_amount, 100 + 1500 + 700 + 3000)
        self.assertEqual(figures.custmgmt_oldest_overdue_days, 115)
        self.assertAlmostEqual(figures.custmgmt_draft_invoiced, 400)
        self.assertAlmostEqual(figures.custmgmt_exposure, 6300 + 400 + 1000)
        self.assertAlmostEqual(figures.custmgmt_payment_delay, 10.0)

    def test_hold_for_the_credit_limit(self):
        self.customer.with_company(self.company).sudo().credit_limit = 5000
        self._invoice('2026-11-20', 4000, due='2026-12-20')
        within = self._order(1000)
        within.action_confirm()
        self.assertEqual(within.state, 'sale', "exposure + order = limit is allowed")
        over = self._order(1500)
        self.assertTrue(over.custmgmt_credit_hold)
        self.assertIn("Credit limit", over.custmgmt_credit_status)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            over.action_confirm()
        self.assertEqual(over.state, 'draft', "a refused confirmation confirms nothing")

    def test_hold_for_overdue_and_the_exception_flow(self):
        self._invoice('2026-08-01', 100)  # 115 days overdue, over the 90-day hold
        order = self._order(300)
        with self.assertRaisesRegex(UserError, "overdue too long"):
            order.action_confirm()
        exception = self.env['custmgmt.credit.exception'].with_user(self.salesman).create({
            'order_id': order.id, 'reason': 'Customer pays the old invoice next week; line stop otherwise'})
        self.assertEqual((exception.amount, exception.requester_id), (300, self.salesman))
        with self.assertRaises(AccessError):
            exception.with_user(self.salesman).action_approve()
        with self.assertRaises(UserError):
            order.action_confirm()
        exception.with_user(self.finance).action_approve()
        self.assertEqual((exception.state, exception.decider_id), ('approved', self.finance))
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

    def test_credit_review_sets_the_terms_only_when_finance_approves(self):
        Review = self.env['custmgmt.credit.review']
        review = Review.with_user(self.salesman).create({
            'partner_id': self.customer.id, 'requested_limit': 50000, 'payment_term_id': self.pay_terms_b.id,
            'credit_standing': 'good'})
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
        self.assertEqual((customer.credit_limit, customer.property_payment_term_id, customer.credit_standing),
                         (50000, self.pay_terms_b, 'good'))
        self.assertEqual(str(customer.last_credit_review_date), '2026-11-24')
        self.assertEqual((review.state, review.decider_id), ('approved', self.finance))
        later = Review.with_user(self.salesman).create({'partner_id': self.customer.id, 'requested_limit': 80000})
        later.with_user(self.finance).write({'reason': 'Late payments this year'})
        later.with_user(self.finance).action_reject()
        self.assertEqual(customer.credit_limit, 50000, "a rejection changes nothing")
        self.assertEqual(Review.search_count([('partner_id', '=', self.customer.id)]), 2, "earlier reviews stay")
        with self.assertRaisesRegex(UserError, "kept as history"):
            review.with_user(self.finance).unlink()

    def test_aging_report_and_quadrant(self):
        self.company.sudo().write({'custmgmt_long_overdue_days': 60, 'custmgmt_large_overdue_amount': 10000})
        self._invoice('2026-11-01', 1000, due='2026-12-10')
        self._invoice('2026-10-10', 2000)
        self._invoice('2026-08-01', 9000)
        rows = self.env['custmgmt.receivable.aging'].with_user(self.salesman).search(
            [('partner_id', '=', self.customer.id)])
        by_bucket = {row.bucket: row.amount_residual for row in rows}
        self.assertEqual(by_bucket, {'not_due': 1000, '31_60': 2000, 'over_90': 9000})
        self.assertEqual(set(rows.mapped('quadrant')), {'long_large'})
        self.assertEqual(max(rows.mapped('days_overdue')), 115)
        self.assertFalse(self.env['custmgmt.receivable.aging'].with_user(self.owner).search(
            [('partner_id', '=', self.customer.id)]), "users see the items of their own customers")

    def test_finance_edits_the_policy_without_settings_rights(self):
        wizard = self.env['custmgmt.credit.policy.wizard'].with_user(self.finance).create({})
        self.assertEqual((wizard.long_overdue_days, wizard.hold_overdue_days, wizard.dunning_interval_days),
                         (60, 90, 15))
        wizard.write({'hold_overdue_days': 45, 'collection_user_id': self.finance.id})
        wizard.action_apply()
        self.assertEqual((self.company.custmgmt_hold_overdue_days, self.company.custmgmt_collection_user_id),
                         (45, self.finance))
        with self.assertRaises(ValidationError):
            self.env['custmgmt.credit.policy.wizard'].with_user(self.finance).create({'dunning_interval_days': 0})
        with self.assertRaises(AccessError):
            self.env['custmgmt.credit.policy.wizard'].with_user(self.salesman).create({})
