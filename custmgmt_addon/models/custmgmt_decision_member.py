from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..rules import archive as archive_rules
from ..rules import guards


class CustmgmtDecisionMember(models.Model):
    _name = 'custmgmt.decision.member'
    _inherit = ['custmgmt.archive.line.mixin']
    _description = "Decision Chain Member"
    _order = 'partner_id, sequence, id'
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, index=True, ondelete='cascade', check_company=True,
        domain=[('is_company', '=', True)])
    # required by the constraint below: a line typed with a new person's name
    # creates the contact on save (create())
    contact_id = fields.Many2one(
        'res.partner', ondelete='restrict', index=True,
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]")
    name = fields.Char(related='contact_id.name', string="Name", store=True, readonly=False)
    phone = fields.Char(related='contact_id.phone', readonly=False)
    mobile = fields.Char(related='contact_id.mobile', readonly=False)
    email = fields.Char(related='contact_id.email', readonly=False)
    department = fields.Selection(
        [('management', 'Management'),
         ('purchasing', 'Purchasing'),
         ('using', 'Using department'),
         ('support', 'Support'),
         ('finance', 'Finance'),
         ('other', 'Other')],
        required=True, default='purchasing')
    position = fields.Char(
        compute='_compute_position', store=True, readonly=False)
    decision_role = fields.Selection(
        [('leader', 'Leader'),
         ('influencer', 'Influencer'),
         ('checker', 'Checker'),
         ('follower', 'Follower')],
        help="Leader decides; influencer sways the decision; checker verifies it; follower goes along.")
    communication_style = fields.Selection(
        [('analytical', 'Analytical'),
         ('driver', 'Driver'),
         ('expressive', 'Expressive'),
         ('amiable', 'Amiable')],
        )
    is_coach = fields.Boolean(string="Inside Coach", help="Our guide inside the customer (向导).")
    authority = fields.Selection(
        [('final', 'Final decision'),
         ('approve', 'Approves'),
         ('recommend', 'Recommends'),
         ('none', 'No authority')],
        )
    birthday = fields.Date(groups='custmgmt_addon.group_custmgmt_user')
    hobbies = fields.Text(groups='custmgmt_addon.group_custmgmt_user')
    days_to_birthday = fields.Integer(
        string="Days to Birthday", compute='_compute_days_to_birthday',
        search='_search_days_to_birthday', groups='custmgmt_addon.group_custmgmt_user')
    notes = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('contact_id')
    def _compute_position(self):
        for member in self:
            if not member.position and member.contact_id.function:
                member.position = member.contact_id.function

    @api.depends('birthday')
    def _compute_days_to_birthday(self):
        today = fields.Date.context_today(self)
        for member in self:
            member.days_to_birthday = archive_rules.days_to_birthday(member.birthday, today) or 0

    def _search_days_to_birthday(self, operator, value):
        compare = {'<': lambda d: d < value, '<=': lambda d: d <= value, '=': lambda d: d == value}
        if operator not in compare or not isinstance(value, int):
            raise ValidationError(_("Upcoming birthdays can only be searched with <, <= or = and a number of days."))
        today = fields.Date.context_today(self)
        self.flush_model(['birthday'])
        rows = self.env.execute_query(SQL(
            "SELECT id, birthday FROM custmgmt_decision_member WHERE birthday IS NOT NULL"))
        return [('id', 'in', [
            member_id for member_id, birthday in rows
            if compare[operator](archive_rules.days_to_birthday(birthday, today))
        ])]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('partner_id', 'contact_id')
    def _check_contact_of_customer(self):
        for member in self:
            if not member.contact_id:
                raise ValidationError(_("Choose the contact or type the name of each person of the decision "
                                        "chain of %(customer)s.", customer=member.partner_id.display_name))
            if member.contact_id.commercial_partner_id != member.partner_id.commercial_partner_id \
                    or member.contact_id == member.partner_id:
                raise ValidationError(_(
                    "%(contact)s is not a contact person of %(customer)s.",
                    contact=member.contact_id.display_name, customer=member.partner_id.display_name))

    @api.constrains('birthday')
    def _check_birthday(self):
        today = fields.Date.context_today(self)
        for member in self:
            if not guards.not_in_future(member.birthday, today):
                raise ValidationError(_("The birthday of %(name)s must be a date from 1900 to today.",
                                        name=member.name or ''))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model
    def _custmgmt_prepare_lines(self, vals_list):
        """A person typed in the line on a customer (saved in this same save):
        the contact is created with it, as a child of the customer."""
        contact_fields = ('name', 'phone', 'mobile', 'email')
        for vals in vals_list:
            if vals.get('contact_id') or not (vals.get('name') or '').strip() or not vals.get('partner_id'):
                continue
            contact = self.env['res.partner'].create({
                'parent_id': vals['partner_id'],
                'type': 'contact',
                'function': vals.get('position') or False,
                **{fname: vals.pop(fname) for fname in contact_fields if fname in vals},
            })
            vals['contact_id'] = contact.id

    def _compute_display_name(self):
        for member in self:
            member.display_name = " – ".join(filter(None, [member.name, member.position]))
