from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = 'survey.survey'

    custmgmt_opinion = fields.Boolean(
        string="Customer Opinion Survey",
        help="Answers record a customer's opinion (客户意见调查表): their scored single-choice "
             "questions (1 to 5) make the customer's satisfaction.")
