from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..rules import archive as archive_rules
from ..rules import guards


def archive_line_auto_init(model):
    """Before the column gets its NOT NULL: give every existing line of the
    archive (decision chain, competitors) the company where it was recorded,
    the customer's company, else the company of who recorded it, else the
    main company. Idempotent: it only fills empty companies."""
    cr = model.env.cr
    if not column_exists(cr, model._table, 'company_id'):
        return
    cr.execute(SQL(
        """
        UPDATE %(table)s line
           SET company_id = COALESCE(partner.company_id, creator.company_id,
                                     (SELECT MIN(id) FROM res_company))
          FROM res_partner partner, %(table)s same
     LEFT JOIN res_users creator ON creator.id = same.create_uid
         WHERE line.company_id IS NULL AND partner.id = line.partner_id AND same.id = line.id
        """,
        table=SQL.identifier(model._table),
    ))


def check_archive_owner(model, partner_ids):
    """A User adds to the decision chain and competitors of the customers
    they sell to or own only: said in words, not as Odoo's generic access error."""
    env = model.env
    if env.su or env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
        return
    for partner in env['res.partner'].sudo().browse([pid for pid in partner_ids if pid]):
        if env.user not in (partner.user_id | partner.archive_user_id):
            raise AccessError(env._(
                "You can add to the customer file of %(customer)s only if you are its salesperson or its "
                "archive owner; ask a customer management Manager.", customer=partner.display_name))


class CustmgmtCompetitorLine(models.Model):
    _name = 'custmgmt.competitor.line'
    _description = "Competitor at a Customer"
    _order = 'partner_id, share_percent desc, id'
    _check_company_auto = True

    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, index=True, ondelete='cascade', check_company=True)
    # the company where the line was recorded: a shared customer (no company)
    # has its competitors per company
    company_id = fields.Many2one(
        'res.company', compute='_compute_company_id', store=True, readonly=False,
        precompute=True, required=True, index=True)
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

    @api.depends('partner_id')
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.partner_id.company_id or line.company_id or self.env.company

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

    def _auto_init(self):
        archive_line_auto_init(self)
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        check_archive_owner(self, [vals.get('partner_id') for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if 'partner_id' in vals:
            check_archive_owner(self, [vals['partner_id']])
        content = {'products', 'share_percent', 'price_position', 'strengths', 'weaknesses',
                   'opportunities', 'threats', 'competitor_id'}
        if content & vals.keys() and 'last_updated' not in vals:
            vals = dict(vals, last_updated=fields.Date.context_today(self))
        return super().write(vals)
