from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'


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
        for vals in vals_list:
            if 'amount' not in vals and vals.get('order_id'):
                vals['amount'] = self.env['sale.order'].browse(vals['order_id']).amount_total
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
