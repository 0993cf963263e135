from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import archive as archive_rules
from ..rules import guards


class CustmgmtCompetitorLine(models.Model):
    _name = 'custmgmt.competitor.line'
    _inherit = ['custmgmt.archive.line.mixin']
    _description = "Competitor at a Customer"
    _order = 'partner_id, share_percent desc, id'
    _check_company_auto = True

    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, index=True, ondelete='cascade', check_company=True)
    competitor_id = fields.Many2one(
        'res.partner', required=True, ondelete='restrict',
        domain="[('is_company', '=', True), ('id', '!=', partner_id)]")
    products = fields.Char(string="Products Supplied")
    share_percent = fields.Float(string="Share of Wallet (%)", digits=(5, 1))
    price_position = fields.Selection(
        [('higher', 'Higher than ours'), ('similar', 'Similar'), ('lower', 'Lower than ours')],
        )
    strengths = fields.Text()
    weaknesses = fields.Text()
    opportunities = fields.Text()
    threats = fields.Text()
    last_updated = fields.Date(default=fields.Date.context_today)

    @api.constrains('last_updated')
    def _check_last_updated(self):
        today = fields.Date.context_today(self)
        for line in self:
            if not guards.not_in_future(line.last_updated, today):
                raise ValidationError(_("A competitor line is updated on a date from 1900 to today."))

    @api.constrains('partner_id', 'competitor_id')
    def _check_competitor_not_customer(self):
        for line in self:
            if line.competitor_id.commercial_partner_id == line.partner_id.commercial_partner_id:
                raise ValidationError(_("A customer cannot be its own competitor (%(customer)s).",
                                        customer=line.partner_id.display_name))

    @api.constrains('partner_id', 'share_percent')
    def _check_share_percent(self):
        for line in self:
            if not 0 <= line.share_percent <= 100:
                raise ValidationError(_("A competitor's share must be between 0 and 100 %%, not %(share)s.",
                                        share=line.share_percent))
        # per company: each company records its own view of a shared customer
        totals = {
            (partner.id, company.id): total
            for partner, company, total in self.sudo().with_context(active_test=False)._read_group(
                [('partner_id', 'in', self.partner_id.ids)], ['partner_id', 'company_id'], ['share_percent:sum'])
        }
        over = archive_rules.shares_exceeding(totals)
        if over:
            partner = self.env['res.partner'].browse(over[0][0])
            raise ValidationError(_(
                "The competitor shares of %(customer)s add up to %(total)s %%; they cannot exceed 100 %%.",
                customer=partner.display_name, total=round(totals[over[0]], 1)))

    def write(self, vals):
        content = {'products', 'share_percent', 'price_position', 'strengths', 'weaknesses',
                   'opportunities', 'threats', 'competitor_id'}
        if content & vals.keys() and 'last_updated' not in vals:
            vals = dict(vals, last_updated=fields.Date.context_today(self))
        return super().write(vals)
