from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..rules import credit as credit_rules

FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'


class SaleOrder(models.Model):
    """The credit hold (信用控制) on every way an order becomes confirmed.

    The customer whose limit, exposure and overdue items decide is the one who
    pays: the commercial partner of the invoice address. The hold is a setting
    of each company (off unless Finance turns it on)."""
    _inherit = 'sale.order'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_credit_exception_ids = fields.One2many(
        'custmgmt.credit.exception', 'order_id', string="Credit Exceptions")
    custmgmt_credit_hold = fields.Boolean(
        string="Credit Hold", compute='_compute_custmgmt_credit_status',
        help="Confirming this order is refused until Finance approves a credit exception.")
    custmgmt_credit_status = fields.Text(string="Credit Status", compute='_compute_custmgmt_credit_status')
    custmgmt_credit_awaiting = fields.Boolean(
        string="Awaiting Credit Approval", copy=False, readonly=True, index='btree_not_null',
        help="The customer accepted this quotation, but its credit is on hold: Finance decides whether it "
             "is confirmed.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context('uid')
    @api.depends('partner_id', 'partner_invoice_id', 'amount_total', 'currency_id', 'company_id', 'state',
                 'custmgmt_credit_exception_ids.state', 'custmgmt_credit_exception_ids.amount')
    def _compute_custmgmt_credit_status(self):
        """The banner costs what the check costs: one grouped query per company."""
        self.custmgmt_credit_hold = False
        self.custmgmt_credit_status = False
        to_check = self.filtered(lambda order: order.state in ('draft', 'sent') and order.partner_id
                                 and order.company_id.custmgmt_credit_hold_enabled)
        for order, (reasons, message) in to_check._custmgmt_credit_checks(batch=False).items():
            order.custmgmt_credit_hold = bool(reasons) and not order._custmgmt_approved_exception()
            order.custmgmt_credit_status = message

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """An order created confirmed, in a company that holds orders, goes
        through the hold like any other: created as a quotation, then
        confirmed by ``write``."""
        confirm = []
        if not self.env.context.get('custmgmt_credit_checked'):
            for index, vals in enumerate(vals_list):
                company = self.env['res.company'].browse(vals.get('company_id')) or self.env.company
                if vals.get('state') == 'sale' and company.custmgmt_credit_hold_enabled:
                    vals['state'] = 'draft'
                    confirm.append(index)
        orders = super().create(vals_list)
        if confirm:
            orders.browse([orders[index].id for index in confirm]).write({'state': 'sale'})
        return orders

    def write(self, vals):
        """Every confirmation (the button, the portal, a payment, an import or
        a direct write of the state) passes the credit hold."""
        if vals.get('state') == 'sale' and not self.env.context.get('custmgmt_credit_checked'):
            self.filtered(lambda order: order.state in ('draft', 'sent'))._custmgmt_enforce_credit_hold()
        if vals.get('state') in ('sale', 'cancel'):
            vals = dict(vals, custmgmt_credit_awaiting=False)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        """Refuse, and confirm nothing, when an order is on credit hold; orders
        of one customer confirmed together count in each other's exposure."""
        if not self.env.context.get('custmgmt_credit_checked'):
            self.filtered(lambda order: order.state in ('draft', 'sent'))._custmgmt_enforce_credit_hold()
        return super(SaleOrder, self.with_context(custmgmt_credit_checked=True)).action_confirm()

    def action_custmgmt_request_credit_exception(self):
        self.ensure_one()
        return self.env['custmgmt.credit.exception']._custmgmt_request_action('order_id', self)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_credit_subject(self):
        """The customer who pays: the commercial partner of the invoice address."""
        self.ensure_one()
        return (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _custmgmt_credit_checks(self, batch=True):
        """``{order: (reasons, message)}`` for the orders in ``self`` whose
        company holds orders, from one grouped query per company.

        :param batch: the orders are confirmed together, so each counts in the
            exposure of the next ones of the same customer
        """
        results = {}
        Partner = self.env['res.partner'].sudo()
        for company, orders in self.grouped('company_id').items():
            if not company.custmgmt_credit_hold_enabled:
                continue
            customers = Partner.browse({order._custmgmt_credit_subject().id for order in orders})
            positions = customers._custmgmt_credit_positions(company)
            limits = {customer.id: customer.credit_limit for customer in customers.with_company(company)}
            visible = customers.with_env(self.env)._custmgmt_receivables_visible_ids()
            pending = {}
            for order in orders:
                customer = order._custmgmt_credit_subject()
                position = positions.get(customer.id, {})
                exposure = position.get('exposure', 0.0) + pending.get(customer.id, 0.0)
                order_total = order._custmgmt_amount_company()
                if batch:
                    pending[customer.id] = pending.get(customer.id, 0.0) + order_total
                reasons = credit_rules.hold_reasons(
                    limits[customer.id], exposure, order_total, position.get('oldest', 0),
                    company.custmgmt_hold_overdue_days)
                results[order] = (reasons, order._custmgmt_credit_message(
                    customer, limits[customer.id], exposure, order_total, position, customer.id in visible))
        return results

    def _custmgmt_amount_company(self):
        self.ensure_one()
        return self.currency_id._convert(self.amount_total, self.company_id.currency_id, self.company_id,
                                         self.date_order or fields.Date.today())

    def _custmgmt_credit_message(self, customer, limit, exposure, order_total, position, visible):
        """The sentence of figures, for those who may read the customer's
        receivables; the others only learn that the customer is checked."""
        company = self.company_id
        currency = company.currency_id
        if not visible:
            return _("Credit checked for %(customer)s; Finance sees the figures.", customer=customer.name)
        return _(
            "%(customer)s: credit limit %(limit)s, exposure %(exposure)s, this order %(order)s; "
            "overdue %(overdue)s, oldest item %(days)s days overdue (hold after %(hold)s days).",
            customer=customer.name,
            limit=format_amount(self.env, limit, currency) if limit else _("none"),
            exposure=format_amount(self.env, exposure, currency),
            order=format_amount(self.env, order_total, currency),
            overdue=format_amount(self.env, position.get('overdue', 0.0), currency),
            days=position.get('oldest', 0), hold=company.custmgmt_hold_overdue_days)

    def _custmgmt_approved_exception(self):
        """The approved credit exception that covers this order as it is now:
        same customer, same currency, and at most the approved amount."""
        self.ensure_one()
        return self.sudo().custmgmt_credit_exception_ids._custmgmt_covering(
            self._custmgmt_credit_subject(), self.currency_id, self.amount_total)

    def _custmgmt_done_transactions(self):
        self.ensure_one()
        return self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == 'done' and tx.operation != 'validation' and tx.currency_id == self.currency_id)

    def _custmgmt_paid_online(self):
        """Done online payments cover the amount required to confirm the order:
        the payment is the collateral."""
        self.ensure_one()
        transactions = self._custmgmt_done_transactions()
        round_ = self.currency_id.round
        return credit_rules.paid_online([round_(tx.amount) for tx in transactions],
                                        round_(self._get_prepayment_required_amount()))

    def _custmgmt_held_orders(self, note_paid=False):
        """``{order: (reasons, message)}`` of the orders in ``self`` that the hold stops
        (confirmed together), leaving out those an approved exception or an
        online payment covers (with ``note_paid``, those are being confirmed:
        they get a note for Finance)."""
        held = {}
        for order, (reasons, message) in self._custmgmt_credit_checks().items():
            if not reasons or order._custmgmt_approved_exception():
                continue
            if order._custmgmt_paid_online():
                if note_paid:
                    order._custmgmt_note_paid_online(reasons)
                continue
            held[order] = (reasons, message)
        return held

    def _custmgmt_enforce_credit_hold(self):
        """Raise, naming the first order held and why, when any order in
        ``self`` is on credit hold."""
        held = self._custmgmt_held_orders(note_paid=True)
        if not held:
            return
        order, (reasons, message) = next(iter(held.items()))
        customer = order._custmgmt_credit_subject()
        why = []
        if 'limit' in reasons:
            why.append(_("the order would take %(customer)s over its credit limit", customer=customer.name))
        if 'overdue' in reasons:
            why.append(_("%(customer)s has an open item overdue too long", customer=customer.name))
        raise UserError(_(
            "Order %(order)s is on credit hold: %(why)s.\n%(figures)s\n"
            "Ask Finance for a credit exception on this order.",
            order=order.name, why=_(" and ").join(why), figures=message))

    def _custmgmt_note_paid_online(self, reasons):
        """Tell Finance, on the order, that a payment covers a hold (no figures:
        the order's chatter is read by every salesperson)."""
        self.ensure_one()
        transactions = self._custmgmt_done_transactions()
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % _(
                "Confirmed although the customer is on credit hold (%(why)s): the online payment %(refs)s "
                "of %(amount)s covers the amount required for confirmation.",
                why=_(", ").join(self._custmgmt_reason_labels(reasons)),
                refs=", ".join(transactions.mapped('reference')),
                amount=format_amount(self.env, sum(transactions.mapped('amount')), self.currency_id)),
            message_type='comment', subtype_xmlid='mail.mt_note')

    def _custmgmt_reason_labels(self, reasons):
        labels = {'limit': _("over the credit limit"), 'overdue': _("an item overdue too long")}
        return [labels[reason] for reason in reasons]

    def _validate_order(self):
        """Customer-facing confirmation (the portal signature): an order on
        credit hold is not confirmed and nothing is raised at the customer; it
        waits for Finance, who get a credit exception to decide, and the
        salesperson an activity."""
        held = self._custmgmt_held_orders(note_paid=True) if not self.env.context.get('custmgmt_credit_checked') \
            else {}
        for order in held:
            order._custmgmt_await_credit_approval()
        rest = self.filtered(lambda order: order not in held)
        if rest:
            return super(SaleOrder, rest.with_context(custmgmt_credit_checked=True))._validate_order()
        return None

    def _custmgmt_await_credit_approval(self):
        self.ensure_one()
        order = self.sudo()
        order.custmgmt_credit_awaiting = True
        requester = order.user_id or self.env.ref('base.user_root')
        if not order.custmgmt_credit_exception_ids.filtered(lambda exception: exception.state == 'requested'):
            self.env['custmgmt.credit.exception'].sudo().create({
                'order_id': order.id,
                'requester_id': requester.id,
                'reason': _("Accepted by the customer on the portal; awaiting credit approval."),
            })
        if order.user_id:
            order.activity_schedule(
                'custmgmt_addon.mail_activity_type_credit_awaiting', user_id=order.user_id.id,
                summary=_("Awaiting credit approval"),
                note=_("The customer accepted %(order)s, but its credit is on hold: Finance decides on the "
                       "credit exception.", order=order.name))

    def _custmgmt_confirm_after_approval(self):
        """Finance approved a credit exception: an order the customer accepted
        while on hold is confirmed, if the approval covers it."""
        for order in self.sudo().filtered(lambda o: o.custmgmt_credit_awaiting and o.state in ('draft', 'sent')):
            if order._custmgmt_credit_checks().get(order, ([], ''))[0] and not order._custmgmt_approved_exception():
                continue
            order.with_context(custmgmt_credit_checked=True, send_email=True).action_confirm()
            order.activity_feedback(['custmgmt_addon.mail_activity_type_credit_awaiting'],
                                    feedback=_("Credit exception approved: order confirmed."))
