from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..rules import credit as credit_rules


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    custmgmt_credit_exception_ids = fields.One2many(
        'custmgmt.credit.exception', 'order_id', string="Credit Exceptions")
    custmgmt_credit_hold = fields.Boolean(
        string="Credit Hold", compute='_compute_custmgmt_credit_status',
        help="Confirming this order is refused until Finance approves a credit exception.")
    custmgmt_credit_status = fields.Text(string="Credit Status", compute='_compute_custmgmt_credit_status')

    @api.depends('partner_id', 'amount_total', 'company_id', 'state', 'custmgmt_credit_exception_ids.state',
                 'custmgmt_credit_exception_ids.amount')
    def _compute_custmgmt_credit_status(self):
        for order in self:
            if order.state not in ('draft', 'sent') or not order.partner_id:
                order.custmgmt_credit_hold = False
                order.custmgmt_credit_status = False
                continue
            reasons, message = order._custmgmt_credit_check()
            order.custmgmt_credit_hold = bool(reasons) and not order._custmgmt_has_approved_exception()
            order.custmgmt_credit_status = message

    def _custmgmt_has_approved_exception(self):
        self.ensure_one()
        return any(exception.state == 'approved'
                   and self.currency_id.compare_amounts(exception.amount, self.amount_total) == 0
                   for exception in self.sudo().custmgmt_credit_exception_ids)

    def _custmgmt_credit_check(self, pending=0.0):
        """The hold reasons of this order and a sentence stating the figures.

        :param pending: total, in company currency, of the customer's other
            orders being confirmed together with this one (not yet in its exposure)
        """
        self.ensure_one()
        company = self.company_id
        customer = self.partner_id.commercial_partner_id.with_company(company).sudo()
        # figures of the moment, not those read earlier in this transaction
        customer.invalidate_recordset(['credit', 'credit_to_invoice', 'custmgmt_exposure',
                                       'custmgmt_overdue_amount', 'custmgmt_oldest_overdue_days'])
        order_total = self.currency_id._convert(
            self.amount_total, company.currency_id, company, self.date_order or fields.Date.today())
        reasons = credit_rules.hold_reasons(
            customer.credit_limit, customer.custmgmt_exposure + pending, order_total,
            customer.custmgmt_oldest_overdue_days, company.custmgmt_hold_overdue_days)
        currency = company.currency_id
        message = _(
            "Credit limit %(limit)s, exposure %(exposure)s, this order %(order)s; "
            "overdue %(overdue)s, oldest item %(days)s days overdue (hold after %(hold)s days).",
            limit=format_amount(self.env, customer.credit_limit, currency) if customer.credit_limit else _("none"),
            exposure=format_amount(self.env, customer.custmgmt_exposure + pending, currency),
            order=format_amount(self.env, order_total, currency),
            overdue=format_amount(self.env, customer.custmgmt_overdue_amount, currency),
            days=customer.custmgmt_oldest_overdue_days, hold=company.custmgmt_hold_overdue_days)
        return reasons, message

    def action_confirm(self):
        """Refuse, and confirm nothing, when an order is on credit hold; orders
        of one customer confirmed together count in each other's exposure."""
        pending = {}
        for order in self:
            key = (order.company_id, order.partner_id.commercial_partner_id)
            reasons, message = order._custmgmt_credit_check(pending.get(key, 0.0))
            pending[key] = pending.get(key, 0.0) + order.currency_id._convert(
                order.amount_total, order.company_id.currency_id, order.company_id,
                order.date_order or fields.Date.today())
            if reasons and not order._custmgmt_has_approved_exception():
                why = []
                if 'limit' in reasons:
                    why.append(_("the order would take %(customer)s over its credit limit",
                                 customer=order.partner_id.commercial_partner_id.name))
                if 'overdue' in reasons:
                    why.append(_("%(customer)s has an open item overdue too long",
                                 customer=order.partner_id.commercial_partner_id.name))
                raise UserError(_(
                    "Order %(order)s is on credit hold: %(why)s.\n%(figures)s\n"
                    "Ask Finance for a credit exception on this order.",
                    order=order.name, why=_(" and ").join(why), figures=message))
        return super().action_confirm()

    def action_custmgmt_request_credit_exception(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _("Request a Credit Exception"),
            'res_model': 'custmgmt.credit.exception',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_order_id': self.id, 'default_amount': self.amount_total},
        }
