from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_credit_flows import CustmgmtHoldCommon

# a 1x1 PNG: the signature field only takes images
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


@tagged('post_install', '-at_install')
class TestCreditPortalSignature(CustmgmtHoldCommon, HttpCase):
    """A customer signing a held quotation on the portal gets no error and no
    figures; the order waits for Finance, who confirm it by approving."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login='cm_portal', password='cm_portal_pw', name='Pat Portal', groups='base.group_portal',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.company.sudo().custmgmt_collection_user_id = cls.finance

    def _quotation(self, amount):
        order = self._order(amount, partner=self.portal_user.partner_id)
        order.sudo().write({'require_signature': True, 'require_payment': False})
        order.action_quotation_sent()
        return order

    def _sign(self, order):
        self.authenticate('cm_portal', 'cm_portal_pw')
        return self.make_jsonrpc_request(f'/my/orders/{order.id}/accept', {
            'access_token': order.sudo()._portal_ensure_token(), 'name': 'Pat Portal', 'signature': SIGNATURE})

    def test_signing_a_held_quotation_waits_for_finance(self):
        order = self._quotation(1500)
        self.assertTrue(order.custmgmt_credit_hold)
        result = self._sign(order)
        self.assertNotIn('error', result)
        self.assertIn('redirect_url', result)
        self.assertEqual(order.state, 'sent', "not confirmed")
        self.assertTrue(order.custmgmt_credit_awaiting)
        self.assertTrue(order.signature)
        page = self.url_open(result['redirect_url']).text
        self.assertIn('We will confirm it shortly', page)
        for figure in ('credit limit', 'exposure', 'overdue', 'credit hold'):
            self.assertNotIn(figure, page.lower())
        self.assertNotIn('1,000.00', page)
        exception = order.custmgmt_credit_exception_ids
        self.assertEqual((exception.state, exception.requester_id, exception.amount), ('requested', self.salesman, 1500))
        finance_activity = self._activities(exception, 'custmgmt_addon.mail_activity_type_credit_exception')
        self.assertEqual(finance_activity.user_id, self.finance)
        sales_activity = self._activities(order, 'custmgmt_addon.mail_activity_type_credit_awaiting')
        self.assertEqual(sales_activity.user_id, self.salesman)
        # Finance approving the exception confirms the order
        exception.with_user(self.finance).action_approve()
        self.assertEqual(order.state, 'sale')
        self.assertFalse(order.custmgmt_credit_awaiting)
        self.assertFalse(self._activities(order, 'custmgmt_addon.mail_activity_type_credit_awaiting'))

    def test_signing_a_quotation_within_the_limit_confirms_it(self):
        order = self._quotation(500)
        result = self._sign(order)
        self.assertNotIn('error', result)
        self.assertEqual(order.state, 'sale')
        self.assertFalse(order.custmgmt_credit_awaiting)
