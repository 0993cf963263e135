from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import credit as credit_rules


class AccountMove(models.Model):
    """The optional invoice gate (per company, off by default): posting a
    customer invoice that does not come from a confirmed order is held like an
    order on credit hold, with the same Finance exception."""
    _inherit = 'account.move'

    custmgmt_credit_exception_ids = fields.One2many(
        'custmgmt.credit.exception', 'move_id', string="Credit Exceptions")
    custmgmt_credit_hold = fields.Boolean(
        string="Credit Hold", compute='_compute_custmgmt_credit_hold',
        help="The invoice gate holds this invoice: posting it is refused until Finance approves a credit "
             "exception.")

    @api.depends('state', 'move_type', 'partner_id', 'amount_total', 'company_id',
                 'custmgmt_credit_exception_ids.state')
    def _compute_custmgmt_credit_hold(self):
        self.custmgmt_credit_hold = False
        for move in self._custmgmt_gate_held():
            move.custmgmt_credit_hold = True

    def _custmgmt_from_orders(self):
        """Every product line of the invoice comes from a confirmed order: the
        order went through the credit hold (or was approved) already."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == 'product')
        return bool(lines) and all(
            line.sale_line_ids and all(order.state == 'sale' for order in line.sale_line_ids.order_id)
            for line in lines)

    def _custmgmt_approved_exception(self):
        self.ensure_one()
        return self.sudo().custmgmt_credit_exception_ids._custmgmt_covering(
            self.commercial_partner_id, self.currency_id, self.amount_total)

    def _custmgmt_gate_held(self):
        """``{invoice: reasons}`` of the draft customer invoices in ``self``
        that the gate of their company holds: one grouped query per company."""
        if self.env.context.get('custmgmt_gate_checked'):
            return {}
        moves = self.filtered(lambda move: move.move_type == 'out_invoice' and move.state == 'draft'
                              and move.company_id.custmgmt_invoice_gate and move.commercial_partner_id
                              and not move._custmgmt_from_orders())
        held = {}
        for company, invoices in moves.grouped('company_id').items():
            customers = invoices.commercial_partner_id.sudo()
            positions = customers._custmgmt_credit_positions(company)
            limits = {customer.id: customer.credit_limit for customer in customers.with_company(company)}
            for invoice in invoices:
                customer = invoice.commercial_partner_id
                position = positions.get(customer.id, {})
                amount = invoice.amount_total_signed
                # a saved draft already counts in the exposure, as a draft invoice
                exposure = position.get('exposure', 0.0) - (amount if invoice._origin.id else 0.0)
                reasons = credit_rules.hold_reasons(limits[customer.id], exposure, amount, position.get('oldest', 0),
                                                    company.custmgmt_hold_overdue_days)
                if reasons and not invoice._custmgmt_approved_exception():
                    held[invoice] = reasons
        return held

    def _custmgmt_gate_message(self, held):
        lines = []
        labels = {'limit': _("over the credit limit"), 'overdue': _("an item overdue too long")}
        for invoice, reasons in held.items():
            lines.append(_("%(invoice)s (%(customer)s: %(why)s)", invoice=invoice.display_name,
                           customer=invoice.commercial_partner_id.name,
                           why=_(", ").join(labels[reason] for reason in reasons)))
        return _("Held by the credit gate, not posted: %(invoices)s. Ask Finance for a credit exception on each.",
                 invoices="; ".join(lines))

    def _custmgmt_note_held(self, held):
        for invoice in held:
            invoice.sudo().message_post(
                body=Markup("<p>%s</p>") % _("Not posted: the credit gate holds this invoice. Ask Finance for a "
                                             "credit exception."),
                message_type='comment', subtype_xmlid='mail.mt_note')

    def _post(self, soft=True):
        """Every way of posting passes the gate: held invoices stay draft (with
        a note) while the others of the batch are posted; nothing to post at
        all is an error naming the held invoices."""
        held = self._custmgmt_gate_held()
        if not held:
            return super()._post(soft)
        if len(held) == len(self):
            raise UserError(self._custmgmt_gate_message(held))
        self._custmgmt_note_held(held)
        self.env.user._bus_send('simple_notification', {
            'type': 'warning', 'sticky': True, 'message': self._custmgmt_gate_message(held)})
        others = self.filtered(lambda move: move not in held)
        return super(AccountMove, others.with_context(custmgmt_gate_checked=True))._post(soft)

    def action_post(self):
        """Post what may be posted and say which invoices the gate held."""
        held = self._custmgmt_gate_held()
        if not held:
            return super().action_post()
        if len(held) == len(self):
            raise UserError(self._custmgmt_gate_message(held))
        self._custmgmt_note_held(held)
        others = self.filtered(lambda move: move not in held)
        res = super(AccountMove, others.with_context(custmgmt_gate_checked=True)).action_post()
        if isinstance(res, dict):
            return res
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'type': 'warning', 'sticky': True, 'message': self._custmgmt_gate_message(held)},
        }

    def action_custmgmt_request_credit_exception(self):
        self.ensure_one()
        return self.env['custmgmt.credit.exception']._custmgmt_request_action('move_id', self)
