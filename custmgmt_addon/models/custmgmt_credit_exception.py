from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'
DECISION_FIELDS = {'decider_id', 'decision_date'}


class CustmgmtCreditException(models.Model):
    """Finance's approval to confirm one order, for its amount, although the
    customer is over its credit limit or overdue."""
    _name = 'custmgmt.credit.exception'
    _description = "Credit Exception"
    _inherit = ['mail.thread']
    _order = 'create_date desc, id desc'
    _check_company_auto = True

    order_id = fields.Many2one('sale.order', string="Order", required=True, index=True, ondelete='cascade',
                               check_company=True)
    company_id = fields.Many2one(related='order_id.company_id', store=True, index=True)
    partner_id = fields.Many2one(related='order_id.partner_id.commercial_partner_id', store=True, string="Customer")
    currency_id = fields.Many2one(related='order_id.currency_id', store=True)
    amount = fields.Monetary(string="Order Amount", required=True, currency_field='currency_id',
                             help="The approval holds for this amount of the order only.")
    requester_id = fields.Many2one('res.users', string="Requested by", required=True,
                                   default=lambda self: self.env.user)
    reason = fields.Text(required=True)
    state = fields.Selection(
        [('requested', 'Requested'), ('approved', 'Approved'), ('refused', 'Refused')],
        default='requested', required=True, tracking=True)
    decider_id = fields.Many2one('res.users', string="Decided by", readonly=True, tracking=True)
    decision_date = fields.Datetime(string="Decided on", readonly=True)
    decision_note = fields.Text(string="Decision Note")

    @api.model_create_multi
    def create(self, vals_list):
        """A request starts as requested, for the order's amount; only Finance
        decides, and a User requests only for the orders of their own customers."""
        finance = self.env.su or self.env.user.has_group(FINANCE_GROUP)
        all_customers = finance or self.env.user.has_group('custmgmt_addon.group_custmgmt_manager')
        for vals in vals_list:
            order = self.env['sale.order'].browse(vals.get('order_id'))
            if 'amount' not in vals and order:
                vals['amount'] = order.amount_total
            if not finance and (vals.get('state', 'requested') != 'requested' or DECISION_FIELDS & vals.keys()):
                raise AccessError(_("Only Finance can approve or refuse a credit exception."))
            customer = order.partner_id.commercial_partner_id
            if not all_customers and \
                    self.env.user not in (order.user_id | customer.user_id | customer.sudo().archive_user_id):
                raise AccessError(_(
                    "You can request a credit exception only for the orders of your own customers, "
                    "not for %(order)s.", order=order.display_name))
        return super().create(vals_list)

    def _custmgmt_decide(self, state):
        if not self.env.user.has_group(FINANCE_GROUP):
            raise AccessError(_("Only Finance can approve or refuse a credit exception."))
        if any(exception.state != 'requested' for exception in self):
            raise UserError(_("This credit exception has already been decided."))
        self.sudo().write({'state': state, 'decider_id': self.env.user.id,
                           'decision_date': fields.Datetime.now()})

    def action_approve(self):
        self._custmgmt_decide('approved')

    def action_refuse(self):
        self._custmgmt_decide('refused')

    @api.depends('order_id', 'partner_id')
    def _compute_display_name(self):
        for exception in self:
            exception.display_name = _("Credit exception for %(order)s (%(customer)s)",
                                       order=exception.order_id.name or _("new order"),
                                       customer=exception.partner_id.display_name or '')
