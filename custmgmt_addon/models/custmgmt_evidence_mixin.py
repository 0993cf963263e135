from odoo import _, fields, models


class CustmgmtEvidenceMixin(models.AbstractModel):
    """Documents attached to a record as evidence (有理有据): their count and a
    button that lists them."""
    _name = 'custmgmt.evidence.mixin'
    _description = "Evidence Attached to a Record"

    evidence_count = fields.Integer(string="Evidence", compute='_compute_evidence_count')

    def _compute_evidence_count(self):
        counts = dict(self.env['ir.attachment'].sudo()._read_group(
            [('res_model', '=', self._name), ('res_id', 'in', self.ids)], ['res_id'], ['__count']))
        for record in self:
            record.evidence_count = counts.get(record.id, 0)

    def _custmgmt_with_evidence(self):
        """The records of ``self`` with at least one non-empty evidence
        document (a file with content, or a link)."""
        groups = self.env['ir.attachment'].sudo()._read_group([
            ('res_model', '=', self._name), ('res_id', 'in', self.ids),
            '|', ('file_size', '>', 0), '&', ('type', '=', 'url'), ('url', '!=', False),
        ], ['res_id'])
        return self.browse([res_id for (res_id,) in groups])

    def _custmgmt_evidence_locked(self):
        """The records of ``self`` whose evidence can no longer be deleted or
        moved (a settled dispute's, say). None by default."""
        return self.browse()

    def action_view_evidence(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _("Evidence"),
            'res_model': 'ir.attachment',
            'view_mode': 'kanban,list,form',
            'domain': [('res_model', '=', self._name), ('res_id', '=', self.id)],
            'context': {'default_res_model': self._name, 'default_res_id': self.id},
        }
