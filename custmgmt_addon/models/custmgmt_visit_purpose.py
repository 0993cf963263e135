from odoo import fields, models


class CustmgmtVisitPurpose(models.Model):
    """What a visit is for (seed 000 §五.3): company news, product and quality
    news, evaluation and suggestions, samples and gifts, receivables, new
    business, help for the reseller's staff."""
    _name = 'custmgmt.visit.purpose'
    _description = "Visit Purpose"
    _order = 'sequence, name'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _sql_constraints = [
        ('name_uniq', 'unique (name)', "A visit purpose with this name already exists."),
    ]
