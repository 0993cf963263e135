from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..rules import cadence


class SurveyUserInput(models.Model):
    """An answer to the customer opinion survey (客户意见调查表), linked to the
    customer it is about, whoever fills it in: the customer online, or its
    salesperson or team leader on the phone."""
    _inherit = 'survey.user_input'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_partner_id = fields.Many2one(
        'res.partner', string="Customer", compute='_compute_custmgmt_partner_id', store=True, readonly=False,
        index='btree_not_null', domain=[('parent_id', '=', False)],
        help="The customer whose opinion this answer records.")
    custmgmt_company_id = fields.Many2one(
        'res.company', string="Customer Company", default=lambda self: self.env.company,
        help="The company the customer gave its opinion of.")
    custmgmt_satisfaction = fields.Float(
        string="Satisfaction", compute='_compute_custmgmt_satisfaction', store=True, digits=(16, 2),
        aggregator='avg', help="Average of the scored answers, from 1 (very dissatisfied) to 5 (very satisfied).")
    custmgmt_follow_up_done = fields.Boolean(string="Low Score Followed Up", readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends('partner_id', 'survey_id.custmgmt_opinion')
    def _compute_custmgmt_partner_id(self):
        for answer in self:
            partner = answer.partner_id
            # only the customer opinion form speaks for a customer; an employee
            # answering on the customer's behalf is not the customer
            if not answer.custmgmt_partner_id and partner and answer.survey_id.custmgmt_opinion \
                    and not partner.sudo().user_ids.filtered(lambda user: not user.share):
                answer.custmgmt_partner_id = partner.commercial_partner_id
            else:
                answer.custmgmt_partner_id = answer.custmgmt_partner_id

    @api.depends('survey_id.custmgmt_opinion', 'user_input_line_ids.answer_score',
                 'user_input_line_ids.answer_type', 'user_input_line_ids.question_id')
    def _compute_custmgmt_satisfaction(self):
        for answer in self:
            if not answer.survey_id.custmgmt_opinion:
                answer.custmgmt_satisfaction = 0.0
                continue
            lines = answer.user_input_line_ids.filtered(
                lambda line: line.answer_type == 'suggestion' and line.question_id.question_type == 'simple_choice')
            answer.custmgmt_satisfaction = cadence.satisfaction(lines.mapped('answer_score')) or 0.0

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _mark_done(self):
        res = super()._mark_done()
        self.filtered(lambda answer: answer.custmgmt_partner_id and answer.survey_id.custmgmt_opinion)\
            ._custmgmt_after_done()
        return res

    def _custmgmt_after_done(self):
        """Close the loop (善始善终) of the answers about a customer: note on the
        customer, fulfilled survey plans, and a follow-up activity for the
        salesperson's manager when the average score is 2 or less."""
        Plan = self.env['custmgmt.survey.plan']
        follow_up_type = self.env.ref('custmgmt_addon.mail_activity_type_survey_follow_up')
        for answer in self.sudo():
            customer = answer.custmgmt_partner_id
            score = answer.custmgmt_satisfaction or None
            # the customer's chatter and activities are read by every internal
            # user: they say that an answer came in, the score stays on the
            # answer and the survey plan (restricted to the archive group)
            if score:
                customer._message_log(body=_("Customer opinion form answered: see the survey answers."))
            Plan._custmgmt_fulfil(answer)
            if answer.custmgmt_follow_up_done or not cadence.needs_follow_up(score):
                continue
            manager = customer.user_id.sale_team_id.user_id or customer.user_id
            if manager:
                customer.with_context(mail_activity_quick_update=True).activity_schedule(
                    activity_type_id=follow_up_type.id,
                    summary=_("Low satisfaction: follow up with the customer"),
                    note=_("Answer recorded by %(user)s on %(survey)s.",
                           user=answer.create_uid.name, survey=answer.survey_id.title),
                    user_id=manager.id,
                )
            answer.custmgmt_follow_up_done = True

    @api.model
    def _custmgmt_satisfaction_stats(self, company, partner_ids, today):
        """One grouped query over the done answers about ``partner_ids`` in
        ``company``: ``{partner_id: (latest, 12-month average, count)}``."""
        if not partner_ids:
            return {}
        self.flush_model(['state', 'end_datetime', 'custmgmt_partner_id', 'custmgmt_company_id',
                          'custmgmt_satisfaction'])
        rows = self.env.execute_query(SQL(
            """
            SELECT custmgmt_partner_id,
                   (ARRAY_AGG(custmgmt_satisfaction ORDER BY end_datetime DESC NULLS LAST, id DESC))[1],
                   AVG(custmgmt_satisfaction) FILTER (WHERE end_datetime >= %(since)s),
                   COUNT(*)
              FROM survey_user_input
             WHERE state = 'done' AND custmgmt_satisfaction > 0
               AND custmgmt_company_id = %(company)s AND custmgmt_partner_id = ANY(%(ids)s)
          GROUP BY custmgmt_partner_id
            """,
            since=fields.Date.subtract(today, months=12), company=company.id, ids=list(partner_ids),
        ))
        return {pid: (float(latest), float(average or 0.0), count) for pid, latest, average, count in rows}

    @api.model
    def _custmgmt_check_surveyor(self, customer, company):
        """Only the people who survey a customer record its opinion: its
        salesperson, its archive owner, the salesperson's team leader, the
        surveyor of one of its survey plans, or a Manager."""
        user = self.env.user
        if self.env.su or user.has_group('custmgmt_addon.group_custmgmt_manager'):
            return
        customer = customer.sudo()
        surveyors = customer.user_id | customer.custmgmt_archive_user_id | customer.user_id.sale_team_id.user_id
        if user in surveyors or self.env['custmgmt.survey.plan'].sudo().search_count([
                ('partner_id', '=', customer.id), ('company_id', '=', company.id), ('user_id', '=', user.id)],
                limit=1):
            return
        raise AccessError(_("Only the salesperson, the archive owner or the sales team leader of %(customer)s "
                            "records its opinion.", customer=customer.display_name))

    @api.model
    def _custmgmt_start_for(self, customer):
        """Create an answer about ``customer`` for the current user to fill in
        the survey's own form (on the phone), and open that form."""
        customer.ensure_one()
        company = self.env.company
        self._custmgmt_check_surveyor(customer.commercial_partner_id, company)
        survey = company._custmgmt_opinion_survey()
        if not survey:
            raise UserError(_("Choose the customer opinion survey in the Customer Management settings."))
        answer = survey.sudo()._create_answer(
            user=self.env.user, check_attempts=False,
            custmgmt_partner_id=customer.commercial_partner_id.id, custmgmt_company_id=company.id)
        return {
            'type': 'ir.actions.act_url',
            'url': f'/survey/start/{survey.access_token}?answer_token={answer.access_token}',
            'target': 'new',
        }
