from odoo import fields, models
from odoo.tools import SQL

from ..rules.tiers import TIER_SELECTION
from .custmgmt_service_report import CustmgmtServiceReport


class CustmgmtServiceSeries(models.Model):
    """The service analysis as two series, visits due and visits done, one row
    per customer, company, month and series, so that one graph shows both
    (a graph has one measure; the series is its second grouping)."""
    _name = 'custmgmt.service.series'
    _inherit = ['custmgmt.month.label.mixin']
    _description = "Visits Done vs Due (series)"
    _auto = False
    _order = 'month, series, partner_id'
    _rec_name = 'partner_id'
    _depends = CustmgmtServiceReport._depends

    month = fields.Date(readonly=True)
    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    user_id = fields.Many2one('res.users', string="Salesperson", readonly=True)
    team_id = fields.Many2one('crm.team', string="Sales Team", readonly=True)
    customer_tier = fields.Selection(TIER_SELECTION, string="Tier", readonly=True)
    series = fields.Selection([('due', 'Visits Due'), ('done', 'Visits Done')], readonly=True)
    visits = fields.Float(readonly=True, digits=(16, 0))

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT report.id * 2 + (series.series = 'done')::int AS id,
                   report.month, report.partner_id, report.company_id, report.user_id, report.team_id,
                   report.customer_tier, series.series,
                   CASE series.series WHEN 'due' THEN report.visits_due ELSE report.visits_done END AS visits
              FROM (%s) report
        CROSS JOIN (VALUES ('due'), ('done')) AS series (series)
            """,
            self.env['custmgmt.service.report']._table_query,
        )
