from odoo import _, api, fields, models
from odoo.exceptions import AccessError

ARCHIVE_GROUP = 'custmgmt_addon.group_custmgmt_user'


class ResPartner(models.Model):
    """The early warnings of a customer (smart button, banner) and the review
    of its archive (seed 001 §三: keep it dynamic)."""
    _inherit = 'res.partner'

    custmgmt_archive_reviewed_on = fields.Date(
        string="Archive Reviewed On", copy=False, tracking=True, groups=ARCHIVE_GROUP,
        help="When the salesperson last checked this customer's file (Mark Reviewed). Strategic and key "
             "customers not reviewed for the months set in Settings raise a stale-archive warning.")
    custmgmt_warning_count = fields.Integer(
        string="Open Warnings", compute='_compute_custmgmt_warning_count', groups=ARCHIVE_GROUP)
    custmgmt_warning_critical_count = fields.Integer(
        string="Open Critical Warnings", compute='_compute_custmgmt_warning_count', groups=ARCHIVE_GROUP)

    @api.depends_context('company', 'uid')
    def _compute_custmgmt_warning_count(self):
        """Open and acknowledged warnings the user may read, per commercial partner (one grouped read)."""
        commercial_ids = [pid for pid in self.commercial_partner_id._origin.ids if pid]
        counts = {}
        if commercial_ids:
            for partner, severity, count in self.env['custmgmt.warning']._read_group(
                    [('partner_id', 'in', commercial_ids), ('state', 'in', ('open', 'acknowledged')),
                     ('company_id', '=', self.env.company.id)],
                    ['partner_id', 'severity'], ['__count']):
                counts.setdefault(partner.id, {})[severity] = count
        for partner in self:
            values = counts.get(partner.commercial_partner_id._origin.id, {})
            partner.custmgmt_warning_count = sum(values.values())
            partner.custmgmt_warning_critical_count = values.get('critical', 0)

    def action_custmgmt_mark_reviewed(self):
        """The salesperson checked the customer's file: its archive is reviewed today."""
        if not self.env.user.has_group(ARCHIVE_GROUP):
            raise AccessError(_("Only Customer Management users review customer archives."))
        self.check_access('write')
        self.commercial_partner_id.write({'custmgmt_archive_reviewed_on': fields.Date.context_today(self)})
        return True

    def action_custmgmt_open_warnings(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_warning_action')
        action['domain'] = [('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {'search_default_filter_open': 1}
        return action
