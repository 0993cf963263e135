from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import guards


class ResCompany(models.Model):
    """The customer management policy of the company, one file per
    capability: complaints here, tiers in ``res_company_tier.py``, credit in
    ``res_company_credit.py``, service in ``res_company_service.py``. Policy
    fields only (``res.config.settings`` has their related fields), with
    their constraints and readers."""
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_complaint_days_a = fields.Integer(string="Complaint Days (A)", default=1)
    custmgmt_complaint_days_b = fields.Integer(string="Complaint Days (B)", default=2)
    custmgmt_complaint_days_c = fields.Integer(string="Complaint Days (C and untiered)", default=3)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_complaint_days_a', 'custmgmt_complaint_days_b', 'custmgmt_complaint_days_c')
    def _check_custmgmt_complaint_days(self):
        for company in self:
            if not all(guards.complaint_days_valid(days) for days in (
                    company.custmgmt_complaint_days_a, company.custmgmt_complaint_days_b,
                    company.custmgmt_complaint_days_c)):
                raise ValidationError(_("Days to answer a complaint are from 0 (the same day) to %(max)s.",
                                        max=guards.MAX_COMPLAINT_DAYS))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_user_ids(self):
        """Ids of the active internal users who work in this company (visits
        and surveys of the company go to them only)."""
        self.ensure_one()
        return self.env['res.users'].sudo().search([
            ('company_ids', 'in', self.id), ('share', '=', False)]).ids
