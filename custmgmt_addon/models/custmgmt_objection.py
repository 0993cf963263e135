from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..rules import complaints as complaint_rules
from ..rules import guards


class CustmgmtObjection(models.Model):
    """An objection raised by a customer while selling (客户异议), with its type
    and whether the customer or our salesperson caused it."""
    _name = 'custmgmt.objection'
    _description = "Customer Objection"
    _inherit = ['custmgmt.customer.mixin']
    _order = 'date desc, id desc'
    _check_company_auto = True

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True,
                                 check_company=True, domain=[('parent_id', '=', False)])
    sale_order_id = fields.Many2one('sale.order', string="Sales Order", check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    user_id = fields.Many2one('res.users', string="Salesperson", default=lambda self: self.env.user)
    date = fields.Date(default=fields.Date.context_today, required=True)
    objection_type = fields.Selection(
        [('real', 'Real'), ('false', 'False'), ('hidden', 'Hidden')], string="Type", required=True, default='real')
    cause_side = fields.Selection(
        [('customer', 'Customer'), ('salesperson', 'Salesperson')], string="Caused by", required=True,
        default='customer')
    cause = fields.Selection(
        [('rational', 'Rational'), ('emotional', 'Emotional'), ('tactical', 'Tactical'),
         ('bad_manner', 'Bad manner'), ('exaggeration', 'Exaggeration'), ('jargon', 'Too much jargon'),
         ('wrong_facts', 'Wrong facts'), ('poor_communication', 'Poor communication'),
         ('overbearing', 'Overbearing')],
        )
    description = fields.Text(string="Objection")
    response = fields.Text(string="Our Response")
    outcome = fields.Selection(
        [('open', 'Open'), ('overcome', 'Overcome'), ('lost', 'Lost')], required=True, default='open')

    @api.constrains('date')
    def _check_date(self):
        today = fields.Date.context_today(self)
        for objection in self:
            if not guards.not_in_future(objection.date, today):
                raise ValidationError(_("An objection is dated from 1900 to today."))

    @api.constrains('cause_side', 'cause')
    def _check_cause(self):
        sides = dict(self._fields['cause_side']._description_selection(self.env))
        causes = dict(self._fields['cause']._description_selection(self.env))
        for objection in self:
            if not complaint_rules.cause_valid(objection.cause_side, objection.cause):
                raise ValidationError(_(
                    "“%(cause)s” is not a cause on the %(side)s side.",
                    cause=causes[objection.cause], side=sides[objection.cause_side]))

    @api.depends('partner_id', 'objection_type', 'date')
    def _compute_display_name(self):
        types = dict(self._fields['objection_type']._description_selection(self.env))
        for objection in self:
            objection.display_name = _("%(customer)s: %(type)s objection of %(date)s",
                                       customer=objection.partner_id.display_name or _("New objection"),
                                       type=types.get(objection.objection_type, ''),
                                       date=format_date(self.env, objection.date))

    @api.onchange('cause_side')
    def _onchange_cause_side(self):
        if not complaint_rules.cause_valid(self.cause_side, self.cause):
            self.cause = False
