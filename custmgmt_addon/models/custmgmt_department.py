from odoo import fields, models


class CustmgmtDepartment(models.Model):
    """A department that answers customer complaints (责任主体)."""
    _name = 'custmgmt.department'
    _description = "Responsible Department"
    _order = 'sequence, name'
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one('res.company', help="Leave empty to share the department between companies.")
    manager_id = fields.Many2one('res.users', check_company=True,
                                 help="Answers the complaints routed here when no salesperson does.")
    member_ids = fields.Many2many('res.users', string="Members",
                                  help="Complaint handlers who read and work the complaints routed here.")
