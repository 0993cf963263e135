from odoo import _, api, fields, models
from odoo.tools import SQL

from .custmgmt_evaluation import GRADES


class ResPartner(models.Model):
    """The customer's latest approved evaluation in the current company, on
    the customer archive, with a smart button to the history."""
    _inherit = 'res.partner'

    custmgmt_eval_grade = fields.Selection(
        GRADES, string="Evaluation Grade", compute='_compute_custmgmt_evaluation',
        groups='custmgmt_addon.group_custmgmt_user',
        help="Grade of the customer's latest approved evaluation in this company.")
    custmgmt_eval_total = fields.Float(
        string="Evaluation Total", digits=(16, 1), compute='_compute_custmgmt_evaluation',
        groups='custmgmt_addon.group_custmgmt_user')
    custmgmt_eval_period = fields.Char(
        string="Evaluated Period", compute='_compute_custmgmt_evaluation',
        groups='custmgmt_addon.group_custmgmt_user')
    custmgmt_eval_count = fields.Integer(
        string="Evaluations", compute='_compute_custmgmt_evaluation', groups='custmgmt_addon.group_custmgmt_user')

    @api.depends_context('company')
    def _compute_custmgmt_evaluation(self):
        """One query for the whole recordset: the latest approved evaluation
        and the number of evaluations of each customer in the current company."""
        self.env['custmgmt.evaluation'].flush_model(['partner_id', 'company_id', 'state', 'date_from', 'total',
                                                     'grade', 'period'])
        ids = [pid for pid in self.commercial_partner_id.ids if pid]
        rows = self.env.execute_query(SQL(
            """
            SELECT partner_id, COUNT(*),
                   (ARRAY_AGG(grade ORDER BY date_from DESC) FILTER (WHERE state = 'approved'))[1],
                   (ARRAY_AGG(total ORDER BY date_from DESC) FILTER (WHERE state = 'approved'))[1],
                   (ARRAY_AGG(period ORDER BY date_from DESC) FILTER (WHERE state = 'approved'))[1]
              FROM custmgmt_evaluation
             WHERE company_id = %s AND partner_id = ANY(%s)
          GROUP BY partner_id
            """, self.env.company.id, ids)) if ids else []
        values = {row[0]: row[1:] for row in rows}
        for partner in self:
            count, grade, total, period = values.get(partner.commercial_partner_id.id, (0, False, 0.0, False))
            partner.custmgmt_eval_count = count
            partner.custmgmt_eval_grade = grade
            partner.custmgmt_eval_total = float(total or 0.0)
            partner.custmgmt_eval_period = period

    def action_custmgmt_open_evaluations(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_evaluation_action')
        action.update({
            'name': _("Evaluations of %(customer)s", customer=self.commercial_partner_id.display_name),
            'domain': [('partner_id', '=', self.commercial_partner_id.id)],
            'context': {'default_partner_id': self.commercial_partner_id.id},
        })
        return action
