from odoo import _, api, models
from odoo.exceptions import UserError


class IrAttachment(models.Model):
    """The evidence of a record whose evidence is locked (a settled dispute)
    is kept: it cannot be deleted, nor moved to another record."""
    _inherit = 'ir.attachment'

    def _custmgmt_check_evidence_kept(self):
        evidence_models = self.env['custmgmt.evidence.mixin']._inherit_children
        by_model = {}
        for attachment in self.sudo():
            if attachment.res_model in evidence_models and attachment.res_id:
                by_model.setdefault(attachment.res_model, set()).add(attachment.res_id)
        for model_name, res_ids in by_model.items():
            locked = self.env[model_name].sudo().browse(res_ids).exists()._custmgmt_evidence_locked()
            if locked:
                raise UserError(_("%(record)s is settled: its evidence is kept and cannot be deleted or moved.",
                                  record=locked[0].display_name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked_evidence(self):
        self._custmgmt_check_evidence_kept()

    def write(self, vals):
        if {'res_model', 'res_id', 'datas', 'raw', 'db_datas', 'url'} & vals.keys():
            self._custmgmt_check_evidence_kept()
        return super().write(vals)
