from odoo import models


class PaymentTransaction(models.Model):
    _inherit = 'payment.transaction'

    def _check_amount_and_confirm_order(self):
        """A payment never raises the credit hold at the customer. A done
        payment covering the amount required confirms the order (the payment
        is the collateral, noted for Finance); an order still on hold (the
        payment only authorized) waits for Finance's credit exception."""
        waiting = self.browse()
        for tx in self:
            if len(tx.sale_order_ids) != 1:
                continue
            quotation = tx.sale_order_ids.filtered(lambda order: order.state in ('draft', 'sent'))
            if quotation and quotation._is_confirmation_amount_reached() and quotation._custmgmt_held_orders():
                quotation._custmgmt_await_credit_approval()
                waiting |= tx
        return super(PaymentTransaction, self - waiting)._check_amount_and_confirm_order()
