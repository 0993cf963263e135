from odoo import fields, models


class CustmgmtComplaintCategory(models.Model):
    _name = 'custmgmt.complaint.category'
    _description = "Complaint Category"
    _order = 'sequence, name'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [('quality', 'Quality'), ('non_quality', 'Non-quality')], string="Complaint Type", required=True,
        default='non_quality',
        help="Quality complaints (product, packaging) go to production; the others to sales.")
    department_id = fields.Many2one(
        'custmgmt.department',
        help="Route the complaints of this category here instead of the default department of its kind.")
