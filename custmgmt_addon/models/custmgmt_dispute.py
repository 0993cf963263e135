from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import complaints as complaint_rules
from ..rules import guards


class CustmgmtDispute(models.Model):
    """A commercial dispute (商务纠纷): settled by the contract where it has an
    explicit, fair clause, by fair negotiation otherwise, always with evidence."""
    _name = 'custmgmt.dispute'
    _description = "Commercial Dispute"
    _inherit = ['mail.thread', 'custmgmt.evidence.mixin', 'custmgmt.customer.mixin']
    _order = 'create_date desc, id desc'
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    currency_id = fields.Many2one(related='company_id.currency_id')
    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True, tracking=True,
                                 check_company=True, domain=[('parent_id', '=', False)])
    sale_order_id = fields.Many2one('sale.order', string="Sales Order", check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    invoice_id = fields.Many2one('account.move', check_company=True,
                                 domain="[('move_type', 'in', ('out_invoice', 'out_refund')), "
                                        "('partner_id', 'child_of', partner_id)]")
    user_id = fields.Many2one('res.users', string="Responsible", default=lambda self: self.env.user, tracking=True)
    amount_disputed = fields.Monetary(string="Amount in Dispute", currency_field='currency_id')
    description = fields.Html(string="Facts")
    contract_explicit = fields.Boolean(
        string="Contract Has a Clause", tracking=True,
        help="The contract has an explicit clause for this case.")
    clause_unfair = fields.Boolean(
        string="Clause Plainly Unfair", tracking=True,
        help="The clause exists but is plainly unfair (显失公平): settle by negotiation.")
    resolution_basis = fields.Selection(
        [('contract', 'By the contract'), ('negotiation', 'By fair negotiation')],
        string="Settle", compute='_compute_resolution_basis', store=True, tracking=True)
    state = fields.Selection(
        [('draft', 'Draft'), ('open', 'Open'), ('settled', 'Settled'), ('cancelled', 'Cancelled')],
        default='draft', required=True, tracking=True, copy=False)
    outcome = fields.Text(tracking=True)
    settled_amount = fields.Monetary(currency_field='currency_id', tracking=True)
    settled_date = fields.Date(string="Settled On", readonly=True, copy=False)

    @api.depends('contract_explicit', 'clause_unfair')
    def _compute_resolution_basis(self):
        for dispute in self:
            dispute.resolution_basis = complaint_rules.resolution_basis(
                dispute.contract_explicit, dispute.clause_unfair)

    @api.constrains('state', 'outcome')
    def _check_settled(self):
        """Settled only with evidence and an outcome, whatever the path
        (button, form, import, RPC), and they stay."""
        settled = self.filtered(lambda d: d.state == 'settled')
        with_evidence = set(settled._custmgmt_with_evidence().ids)
        for dispute in settled:
            if dispute.id not in with_evidence:
                raise ValidationError(_("Attach the evidence (contract, delivery notes, correspondence) before "
                                        "settling dispute %(name)s.", name=dispute.name))
            if not (dispute.outcome or '').strip():
                raise ValidationError(_("Write the outcome before settling dispute %(name)s.", name=dispute.name))

    @api.constrains('amount_disputed', 'settled_amount', 'settled_date')
    def _check_amounts(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            if not (guards.amount_valid(dispute.amount_disputed) and guards.amount_valid(dispute.settled_amount)):
                raise ValidationError(_("The amounts of dispute %(name)s cannot be negative.", name=dispute.name))
            if not guards.not_in_future(dispute.settled_date, today):
                raise ValidationError(_("Dispute %(name)s is settled on a date from 1900 to today.",
                                        name=dispute.name))

    def write(self, vals):
        if 'state' in vals and vals['state'] != 'settled' and not self.env.su \
                and any(dispute.state == 'settled' for dispute in self):
            # settled is final: reopening it would free its evidence
            raise UserError(_("A settled dispute stays settled; open a new dispute if the matter comes back."))
        if vals.get('state') == 'settled' and 'settled_date' not in vals:
            vals = dict(vals, settled_date=fields.Date.context_today(self))
        return super().write(vals)

    def _custmgmt_evidence_locked(self):
        return self.filtered(lambda dispute: dispute.state == 'settled')

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(dispute.state != 'draft' for dispute in self):
            raise UserError(_("An opened dispute is kept in the customer's history: cancel it instead."))

    def action_open(self):
        self.filtered(lambda d: d.state == 'draft').write({'state': 'open'})

    def action_settle(self):
        for dispute in self:
            if dispute.state != 'open':
                raise UserError(_("Only an open dispute can be settled (%(name)s).", name=dispute.name))
            if not dispute._custmgmt_with_evidence():
                raise UserError(_("Attach the evidence (contract, delivery notes, correspondence) before "
                                  "settling dispute %(name)s.", name=dispute.name))
            if not (dispute.outcome or '').strip():
                raise UserError(_("Write the outcome before settling dispute %(name)s.", name=dispute.name))
        self.write({'state': 'settled'})

    def action_cancel(self):
        self.write({'state': 'cancelled'})
