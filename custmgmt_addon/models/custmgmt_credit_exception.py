from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from ..rules import credit as credit_rules

FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'
DECISION_FIELDS = {'state', 'decider_id', 'decision_date'}
# what the approval is about: fixed once requested
SUBJECT_FIELDS = {'order_id', 'move_id', 'partner_id', 'currency_id', 'company_id', 'amount', 'requester_id'}


class CustmgmtCreditException(models.Model):
    """Finance's approval to confirm one order (or post one invoice), for that
    customer, that currency and at most that amount, although the customer is
    over its credit limit or overdue."""
    _name = 'custmgmt.credit.exception'
    _description = "Credit Exception"
    _inherit = ['mail.thread', 'mail.activity.mixin', 'custmgmt.customer.mixin']
    _order = 'create_date desc, id desc'
    _check_company_auto = True

    order_id = fields.Many2one('sale.order', index=True, ondelete='cascade', check_company=True,
                               readonly=True)
    move_id = fields.Many2one('account.move', string="Invoice", index='btree_not_null', ondelete='cascade',
                              check_company=True, readonly=True)
    company_id = fields.Many2one('res.company', required=True, index=True, readonly=True)
    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True, readonly=True,
                                 help="The customer who pays (commercial partner of the invoice address) "
                                      "when the exception was requested.")
    currency_id = fields.Many2one('res.currency', required=True, readonly=True)
    amount = fields.Monetary(string="Approved Amount", required=True, currency_field='currency_id',
                             help="The approval covers the order (or invoice) up to this amount, for this "
                                  "customer and this currency only.")
    requester_id = fields.Many2one('res.users', string="Requested by", required=True,
                                   default=lambda self: self.env.user)
    reason = fields.Text(required=True)
    state = fields.Selection(
        [('requested', 'Requested'), ('approved', 'Approved'), ('refused', 'Refused')],
        default='requested', required=True, tracking=True)
    decider_id = fields.Many2one('res.users', string="Decided by", readonly=True, tracking=True)
    decision_date = fields.Datetime(string="Decided on", readonly=True)
    decision_note = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('order_id.name', 'move_id.name', 'partner_id.name', 'order_id.partner_invoice_id', 'move_id.partner_id',
                 'amount', 'currency_id')
    def _compute_display_name(self):
        for exception in self:
            document = exception.order_id or exception.move_id
            # a request being typed has no customer yet: the one who pays its document
            paying = exception.order_id.partner_invoice_id or exception.move_id.partner_id
            customer = exception.partner_id or paying.commercial_partner_id
            exception.display_name = _(
                "Credit exception %(document)s, %(customer)s, %(amount)s",
                document=document.name or '', customer=customer.name or '',
                amount=format_amount(self.env, exception.amount, exception.currency_id)
                if exception.currency_id else '')

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('order_id', 'move_id', 'amount')
    def _check_document(self):
        for exception in self:
            if bool(exception.order_id) == bool(exception.move_id):
                raise ValidationError(_("A credit exception is for one order or one invoice."))
            if exception.currency_id.compare_amounts(exception.amount, 0) <= 0:
                raise ValidationError(_("The amount of a credit exception must be positive."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """A request starts as requested, for the document's customer (the one
        who pays), currency and amount; only Finance decides, and a User
        requests only for the documents of their own customers. The company's
        Finance users (or its collection user) get an activity to decide."""
        finance = self.env.su or self.env.user.has_group(FINANCE_GROUP)
        all_customers = finance or self.env.user.has_group('custmgmt_addon.group_custmgmt_manager')
        for vals in vals_list:
            if not finance and (vals.get('state', 'requested') != 'requested' or DECISION_FIELDS - {'state'} & vals.keys()):
                raise AccessError(_("Only Finance can approve or refuse a credit exception."))
            # Finance may decide without sales or invoicing rights: the document is read as superuser
            order = self.env['sale.order'].sudo().browse(vals.get('order_id'))
            move = self.env['account.move'].sudo().browse(vals.get('move_id'))
            document = order or move
            if not document:
                raise ValidationError(_("A credit exception is for one order or one invoice."))
            customer = order._custmgmt_credit_subject() if order else move.commercial_partner_id
            vals.update({
                'partner_id': customer.id,
                'currency_id': document.currency_id.id,
                'company_id': document.company_id.id,
            })
            vals.setdefault('amount', document.amount_total)
            if not self.env.su:
                vals['requester_id'] = self.env.uid  # four eyes: nobody requests in another's name
            if not all_customers and self.env.user not in (
                    (order.user_id if order else move.invoice_user_id) | customer.user_id
                    | customer.custmgmt_archive_user_id):
                raise AccessError(_(
                    "You can request a credit exception only for the orders and invoices of your own customers, "
                    "not for %(document)s.", document=document.display_name))
        exceptions = super().create(vals_list)
        exceptions.filtered(lambda exception: exception.state == 'requested')._custmgmt_ask_finance()
        return exceptions

    def write(self, vals):
        if not self.env.su:
            if DECISION_FIELDS & vals.keys() and not self.env.context.get('custmgmt_deciding'):
                raise AccessError(_("A credit exception is approved or refused with its buttons, by Finance."))
            if SUBJECT_FIELDS & vals.keys():
                raise UserError(_("The order, customer, currency and amount of a credit exception are fixed once "
                                  "requested; request a new exception instead."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        self._custmgmt_decide('approved')
        self.order_id._custmgmt_confirm_after_approval()

    def action_refuse(self):
        self._custmgmt_decide('refused')

    @api.model
    def _custmgmt_request_action(self, field, document):
        """The dialog that requests an exception for ``document`` (an order or an
        invoice, named by ``field``), for its total."""
        return {
            'type': 'ir.actions.act_window',
            'name': _("Request a Credit Exception"),
            'res_model': self._name,
            'view_mode': 'form',
            'target': 'new',
            'context': {f'default_{field}': document.id, 'default_amount': document.amount_total},
        }

    def action_open_document(self):
        self.ensure_one()
        document = self.order_id or self.move_id
        return {'type': 'ir.actions.act_window', 'res_model': document._name, 'res_id': document.id,
                'view_mode': 'form'}

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_covering(self, customer, currency, amount):
        """The approved exception among ``self`` that covers a document of
        ``customer`` in ``currency`` for ``amount`` (an order or an invoice as
        it is now): same paying customer, same currency, at most the approved
        amount (``rules.credit.exception_covers``)."""
        document = (customer.id, currency.id, currency.round(amount))
        for exception in self.sudo():
            approved = (exception.partner_id.id, exception.currency_id.id, exception.currency_id.round(exception.amount))
            if exception.state == 'approved' and credit_rules.exception_covers(approved, document):
                return exception
        return self.browse()

    def _custmgmt_deciders(self):
        """Who decides this exception (``rules.credit.exception_deciders``)."""
        self.ensure_one()
        company = self.company_id.sudo()
        finance = self.env.ref(FINANCE_GROUP).sudo().users.filtered(
            lambda user: user.active and not user.share and company in user.company_ids
            and user.id != self.env.ref('base.user_root').id)
        return self.env['res.users'].browse(credit_rules.exception_deciders(
            sorted(finance.ids), company.custmgmt_collection_user_id.id, self.requester_id.id))

    def _custmgmt_ask_finance(self):
        activity_type = self.env.ref('custmgmt_addon.mail_activity_type_credit_exception')
        for exception in self.sudo():
            for user in exception._custmgmt_deciders():
                exception.activity_schedule(
                    activity_type_id=activity_type.id, user_id=user.id,
                    summary=_("Decide the credit exception of %(document)s",
                              document=(exception.order_id or exception.move_id).name))

    def _custmgmt_decide(self, state):
        """Four eyes: Finance decides, not on their own request; the decision
        records its decider, closes the activities and tells the requester."""
        if not self.env.user.has_group(FINANCE_GROUP):
            raise AccessError(_("Only Finance can approve or refuse a credit exception."))
        for exception in self:
            if exception.state != 'requested':
                raise UserError(_("This credit exception has already been decided."))
            if exception.requester_id == self.env.user:
                raise AccessError(_("You requested this credit exception: another Finance user decides it."))
        self.sudo().with_context(custmgmt_deciding=True).write({
            'state': state, 'decider_id': self.env.user.id, 'decision_date': fields.Datetime.now()})
        activity_type = self.env.ref('custmgmt_addon.mail_activity_type_credit_exception')
        for exception in self.sudo():
            decided = exception.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)
            decided.action_feedback(feedback=_("Decided: %(state)s", state=dict(
                exception._fields['state']._description_selection(self.env))[state]))
            body = _("Your credit exception for %(document)s was approved by %(decider)s.",
                     document=(exception.order_id or exception.move_id).name, decider=self.env.user.name) \
                if state == 'approved' else \
                _("Your credit exception for %(document)s was refused by %(decider)s.",
                  document=(exception.order_id or exception.move_id).name, decider=self.env.user.name)
            if exception.decision_note:
                body = _("%(body)s Note: %(note)s", body=body, note=exception.decision_note)
            exception.message_post(body=Markup("<p>%s</p>") % body, message_type='comment',
                                   subtype_xmlid='mail.mt_note',
                                   partner_ids=exception.requester_id.partner_id.ids)
