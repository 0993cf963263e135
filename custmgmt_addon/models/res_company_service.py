from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import guards


class ResCompany(models.Model):
    """The service-by-tier policy (分级服务, seed 000 §五, seed 004): visit cadence and surveys."""
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_visit_days_a = fields.Integer(string="Visit Interval A (days)", default=10)
    custmgmt_visit_days_b = fields.Integer(string="Visit Interval B (days)", default=15)
    custmgmt_visit_days_c = fields.Integer(string="Visit Interval C (days)", default=30)
    custmgmt_visit_leader_a = fields.Boolean(string="Team Leader Visits A", default=True)
    custmgmt_visit_leader_b = fields.Boolean(string="Team Leader Visits B", default=True)
    custmgmt_visit_leader_c = fields.Boolean(string="Team Leader Visits C", default=False)
    custmgmt_top_visit_days = fields.Integer(
        string="Top-Management Visit Interval (days)", default=90,
        help="Days between two top-management visits (高层互访) to a strategic (A) customer; 0 for none.")
    custmgmt_top_visitor_ids = fields.Many2many(
        'res.users', 'custmgmt_company_top_visitor_rel', 'company_id', 'user_id', string="Top Management",
        domain=[('share', '=', False)],
        help="Who makes the top-management visits; the sales team leader when empty.")
    custmgmt_survey_id = fields.Many2one(
        'survey.survey', string="Customer Opinion Survey", domain=[('custmgmt_opinion', '=', True)],
        help="The customer opinion form (客户意见调查表) filled in by the monthly and quarterly surveys.")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_visit_days_a', 'custmgmt_visit_days_b', 'custmgmt_visit_days_c',
                    'custmgmt_top_visit_days')
    def _check_custmgmt_visit_days(self):
        for company in self:
            if not all(guards.interval_days_valid(days) for days in (
                    company.custmgmt_visit_days_a, company.custmgmt_visit_days_b, company.custmgmt_visit_days_c,
                    company.custmgmt_top_visit_days)):
                raise ValidationError(_("Visit intervals are days from 0 (no visits) to %(max)s.",
                                        max=guards.MAX_INTERVAL_DAYS))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _custmgmt_service_policy(self):
        """The visit policy of this company, as ``rules.cadence`` takes it."""
        self.ensure_one()
        return {
            'intervals': {tier: self[f'custmgmt_visit_days_{tier}'] for tier in ('a', 'b', 'c')},
            'leader_tiers': tuple(tier for tier in ('a', 'b', 'c') if self[f'custmgmt_visit_leader_{tier}']),
            'top_interval': self.custmgmt_top_visit_days,
            'top_ids': self.custmgmt_top_visitor_ids.ids,
        }

    def _custmgmt_opinion_survey(self):
        self.ensure_one()
        return self.sudo().custmgmt_survey_id \
            or self.env.ref('custmgmt_addon.survey_customer_opinion', raise_if_not_found=False)
