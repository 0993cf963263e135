from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import lifecycle as lifecycle_rules

# argument of rules.lifecycle -> field of the company (and of res.config.settings)
LIFECYCLE_POLICY_FIELDS = {
    'new_months': 'custmgmt_lifecycle_new_months',
    'dormant_months': 'custmgmt_lifecycle_dormant_months',
    'lost_months': 'custmgmt_lifecycle_lost_months',
}


class ResCompany(models.Model):
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_lifecycle_new_months = fields.Integer(
        string="New Customer (months)", default=12,
        help="A customer whose first posted invoice is less than this many months old is a new customer (新客户).")
    custmgmt_lifecycle_dormant_months = fields.Integer(
        string="Dormant After (months)", default=6,
        help="A customer invoiced before but not for this many months is dormant (休眠客户).")
    custmgmt_lifecycle_lost_months = fields.Integer(
        string="Lost After (months)", default=12,
        help="A customer not invoiced for this many months is lost (流失客户).")
    custmgmt_lifecycle_last_run_date = fields.Date(string="Lifecycle Last Computed", readonly=True)
    custmgmt_lifecycle_last_count = fields.Integer(string="Customers Staged", readonly=True)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_lifecycle_new_months', 'custmgmt_lifecycle_dormant_months',
                    'custmgmt_lifecycle_lost_months')
    def _check_custmgmt_lifecycle_policy(self):
        messages = {
            'range': _("Lifecycle thresholds are months from 1 to 120."),
            'order': _("A customer is dormant before it is lost: the dormant months must be fewer than the "
                       "lost months."),
        }
        for company in self:
            problems = lifecycle_rules.check_policy(**company._custmgmt_lifecycle_policy())
            if problems:
                raise ValidationError("\n".join(messages[code] for code, _msg in problems))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_lifecycle_policy(self):
        self.ensure_one()
        return {key: self[fname] for key, fname in LIFECYCLE_POLICY_FIELDS.items()}

    def _custmgmt_lifecycle_mark_run(self, run_date, count):
        """Remember the date and count of this company's last run (written
        only when they differ, so that a second run writes nothing)."""
        self.ensure_one()
        last = {'custmgmt_lifecycle_last_run_date': run_date, 'custmgmt_lifecycle_last_count': count}
        if any(self[fname] != value for fname, value in last.items()):
            self.sudo().write(last)
