from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import credit as credit_rules

FINANCE_GROUP = 'custmgmt_addon.group_custmgmt_finance'


class CustmgmtCreditReview(models.Model):
    """A credit review before credit is granted (信用审查): the evidence, the
    checks, and Finance's decision, which sets the customer's credit terms."""
    _name = 'custmgmt.credit.review'
    _description = "Credit Review"
    _inherit = ['mail.thread', 'custmgmt.evidence.mixin', 'custmgmt.customer.mixin']
    _order = 'create_date desc, id desc'
    _check_company_auto = True

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True, tracking=True,
                                 check_company=True, domain=[('parent_id', '=', False)])
    currency_id = fields.Many2one(related='company_id.currency_id')
    requested_limit = fields.Monetary(string="Requested Credit Limit", currency_field='currency_id', tracking=True)
    payment_term_id = fields.Many2one('account.payment.term', string="Requested Payment Terms", check_company=True)
    credit_standing = fields.Selection(
        [('good', 'Good'), ('normal', 'Normal'), ('watch', 'Watch'), ('bad', 'Bad')],
        default='normal', tracking=True)
    licence_valid = fields.Boolean(string="Business Licence Valid", tracking=True)
    account_activity_verified = fields.Boolean(tracking=True)
    state = fields.Selection(
        [('requested', 'Requested'), ('approved', 'Approved'), ('rejected', 'Rejected')],
        default='requested', required=True, tracking=True)
    requester_id = fields.Many2one('res.users', string="Requested by", default=lambda self: self.env.user)
    decider_id = fields.Many2one('res.users', string="Decided by", readonly=True)
    decision_date = fields.Date(string="Decided on", readonly=True)
    reason = fields.Text(string="Decision Reason", tracking=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su or self.env.user.has_group(FINANCE_GROUP)):
            for vals in vals_list:
                if vals.get('state', 'requested') != 'requested' or {'decider_id', 'decision_date'} & vals.keys():
                    raise AccessError(_("Only Finance can decide a credit review."))
        return super().create(vals_list)

    @api.constrains('requested_limit')
    def _check_requested_limit(self):
        for review in self:
            if not credit_rules.limit_is_valid(review.requested_limit):
                raise ValidationError(_("A requested credit limit cannot be negative (0 means no limit)."))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_requested(self):
        if any(review.state != 'requested' for review in self):
            raise UserError(_("A decided credit review is kept as history."))

    def _custmgmt_check_decision(self):
        if not self.env.user.has_group(FINANCE_GROUP):
            raise AccessError(_("Only Finance can decide a credit review."))
        for review in self:
            if review.state != 'requested':
                raise UserError(_("The credit review of %(customer)s has already been decided.",
                                  customer=review.partner_id.display_name))
            if not (review.reason or '').strip():
                raise UserError(_("Give the reason of the decision on %(customer)s.",
                                  customer=review.partner_id.display_name))

    def action_approve(self):
        """Grant the reviewed terms: the customer's credit limit, payment terms,
        credit standing and review date change; earlier reviews stay as history."""
        self._custmgmt_check_decision()
        for review in self:
            if not (review.licence_valid and review.account_activity_verified):
                raise UserError(_("Check the business licence and the account activity of %(customer)s "
                                  "before approving.", customer=review.partner_id.display_name))
            terms = {
                'credit_limit': review.requested_limit,
                'custmgmt_credit_standing': review.credit_standing,
                'custmgmt_last_credit_review_date': fields.Date.context_today(review),
            }
            if review.payment_term_id:  # left empty: the customer keeps its current terms
                terms['property_payment_term_id'] = review.payment_term_id.id
            review.partner_id.with_company(review.company_id).sudo().write(terms)
        self.sudo().write({'state': 'approved', 'decider_id': self.env.user.id,
                           'decision_date': fields.Date.context_today(self)})

    def action_reject(self):
        self._custmgmt_check_decision()
        self.sudo().write({'state': 'rejected', 'decider_id': self.env.user.id,
                           'decision_date': fields.Date.context_today(self)})
