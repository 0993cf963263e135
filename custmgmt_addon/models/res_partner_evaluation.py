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

    @api.depends_context('company', 'uid')
    def _compute_custmgmt_evaluation(self):
        """One query for the whole recordset: the latest approved evaluation
        and the number of evaluations of each customer in the current company,
        for the customers whose evaluations the user may read (Managers all,
        Users their own customers, as the evaluations' record rules)."""
        self.env['custmgmt.evaluation'].flush_model(['partner_id', 'company_id', 'state', 'date_from', 'total',
                                                     'grade', 'period'])
        commercials = self.commercial_partner_id.filtered('id')
        ids = commercials.ids if self._custmgmt_is_manager() else sorted(commercials._custmgmt_own_ids())
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
        customer = self.commercial_partner_id
        action = self._custmgmt_open_related('custmgmt_addon.custmgmt_evaluation_action',
                                             [('partner_id', '=', customer.id)], default_partner=customer)
        action['name'] = _("Evaluations of %(customer)s", customer=customer.display_name)
        return action
