from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.sql import column_exists


class CustmgmtArchiveLineMixin(models.AbstractModel):
    """A line of a customer's file (decision chain, competitors): it belongs to
    the company where it was recorded, and only the customer's salesperson,
    its archive owner or a Manager adds to it."""
    _name = 'custmgmt.archive.line.mixin'
    _description = "Line of a Customer File"

    # the company where the line was recorded: a shared customer (no company)
    # has its decision chain and competitors per company
    company_id = fields.Many2one(
        'res.company', compute='_compute_company_id', store=True, readonly=False,
        precompute=True, required=True, index=True)

    @api.depends('partner_id')
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.partner_id.company_id or line.company_id or self.env.company

    def _auto_init(self):
        self._custmgmt_fill_company()
        return super()._auto_init()

    def _custmgmt_fill_company(self):
        """Before the column gets its NOT NULL: give every existing line the
        customer's company, else the company of who recorded it, else the main
        company. Idempotent: it only fills empty companies."""
        if self._abstract or not column_exists(self.env.cr, self._table, 'company_id'):
            return
        self.env.cr.execute(SQL(
            """
            UPDATE %(table)s line
               SET company_id = COALESCE(partner.company_id, creator.company_id,
                                         (SELECT MIN(id) FROM res_company))
              FROM res_partner partner, %(table)s same
         LEFT JOIN res_users creator ON creator.id = same.create_uid
             WHERE line.company_id IS NULL AND partner.id = line.partner_id AND same.id = line.id
            """,
            table=SQL.identifier(self._table),
        ))

    @api.model_create_multi
    def create(self, vals_list):
        self._custmgmt_check_archive_owner([vals.get('partner_id') for vals in vals_list])
        self._custmgmt_prepare_lines(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if 'partner_id' in vals:
            self._custmgmt_check_archive_owner([vals['partner_id']])
        return super().write(vals)

    @api.model
    def _custmgmt_prepare_lines(self, vals_list):
        """Hook: complete the values of new lines once the owner check passed."""

    @api.model
    def _custmgmt_check_archive_owner(self, partner_ids):
        """A User adds to the decision chain and competitors of the customers
        they sell to or own only: said in words, not as Odoo's generic access error."""
        env = self.env
        if env.su or env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            return
        for partner in env['res.partner'].sudo().browse([pid for pid in partner_ids if pid]):
            if env.user not in (partner.user_id | partner.custmgmt_archive_user_id):
                raise AccessError(env._(
                    "You can add to the customer file of %(customer)s only if you are its salesperson or its "
                    "archive owner; ask a customer management Manager.", customer=partner.display_name))
