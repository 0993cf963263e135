from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from ..rules import evaluation as eval_rules
from .res_company_evaluation import EVALUATION_PERIODS

SCALE = [('1', "1 – Poor"), ('2', "2 – Weak"), ('3', "3 – As expected"), ('4', "4 – Good"), ('5', "5 – Excellent")]
GRADES = [('excellent', 'Excellent'), ('good', 'Good'), ('fair', 'Fair'), ('poor', 'Poor')]
CAPABILITY_FIELDS = tuple(f'capability_{i}' for i in range(1, eval_rules.CAPABILITY_CRITERIA + 1))
COOPERATION_FIELDS = tuple(f'cooperation_{i}' for i in range(1, eval_rules.COOPERATION_CRITERIA + 1))
ADAPTABILITY_FIELDS = tuple(f'adaptability_{i}' for i in range(1, eval_rules.ADAPTABILITY_CRITERIA + 1))
CRITERIA_FIELDS = CAPABILITY_FIELDS + COOPERATION_FIELDS + ADAPTABILITY_FIELDS
# what the salesperson (or a Manager) fills in, in draft only
JUDGED_FIELDS = frozenset(CRITERIA_FIELDS + (
    'satisfaction_adjustment', 'capability_note', 'cooperation_note', 'adaptability_note', 'satisfaction_note'))
# written by the evaluation job only (and frozen at approval)
MEASURED_FIELDS = (
    'sales_amount', 'prev_sales_amount', 'tier_avg_sales', 'cost_amount', 'visit_count', 'complaint_count',
    'dispute_count', 'cost_to_serve', 'net_profit', 'profit_rate', 'tier_profit_rate', 'growth_rate',
    'company_sales', 'company_prev_sales', 'company_growth_rate', 'payment_delay', 'overdue_amount',
    'survey_count', 'survey_avg', 'sales_score', 'profit_score', 'profit_scored', 'growth_score',
    'growth_scored', 'cooperation_measured_score', 'satisfaction_measured_score', 'previous_evaluation_id',
)
# the flow's own writes (state, stamps) carry this object in their context: an RPC call can
# pass any JSON in its context, never this object
FLOW = object()
# the mail machinery may write these on any evaluation, approved ones included
MAIL_FIELDS = frozenset(('message_main_attachment_id', 'message_follower_ids', 'message_ids', 'activity_ids'))


class CustmgmtEvaluation(models.Model):
    """The evaluation of one customer in one company for one period (客户评估,
    seed 001 §四) on seven dimensions: sales, profit and growth contribution,
    the measured part of cooperation and end-customer satisfaction come from
    the evaluation job (``custmgmt.evaluation.engine``); capability, the
    judged part of cooperation, adaptability and an adjustment of
    satisfaction are judged by the salesperson. Draft → submitted →
    approved (read-only, the measured figures frozen) or sent back to draft
    with a comment."""
    _name = 'custmgmt.evaluation'
    _description = "Customer Evaluation"
    _inherit = ['custmgmt.customer.mixin', 'mail.thread', 'mail.activity.mixin']
    _order = 'date_from desc, total desc, id desc'
    _rec_names_search = ['partner_id', 'period']

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(required=True, readonly=True, ondelete='restrict')
    company_id = fields.Many2one(readonly=True)
    period = fields.Char(required=True, readonly=True, index=True, help="The period evaluated, e.g. 2026-Q3.")
    period_kind = fields.Selection(EVALUATION_PERIODS, required=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    state = fields.Selection(
        [('draft', 'To Fill In'), ('submitted', 'Submitted'), ('approved', 'Approved')],
        default='draft', required=True, readonly=True, tracking=True, copy=False, index=True)
    currency_id = fields.Many2one(related='company_id.currency_id')
    return_comment = fields.Text(
        string="Sent Back Because", tracking=True,
        help="Why the Manager sent the evaluation back to the salesperson.")
    submitted_by_id = fields.Many2one('res.users', readonly=True, copy=False)
    approved_by_id = fields.Many2one('res.users', readonly=True, copy=False)
    approved_date = fields.Date(string="Approved On", readonly=True, copy=False)

    # measured figures (company currency)
    sales_amount = fields.Monetary(string="Sales", currency_field='currency_id', readonly=True)
    prev_sales_amount = fields.Monetary(string="Sales, Previous Period", currency_field='currency_id', readonly=True)
    tier_avg_sales = fields.Monetary(string="Tier Average Sales", currency_field='currency_id', readonly=True)
    cost_amount = fields.Monetary(string="Standard Cost", currency_field='currency_id', readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    dispute_count = fields.Integer(string="Disputes", readonly=True)
    cost_to_serve = fields.Monetary(currency_field='currency_id', readonly=True)
    net_profit = fields.Monetary(currency_field='currency_id', readonly=True)
    profit_rate = fields.Float(string="Net Profit Rate (%)", digits=(16, 1), readonly=True)
    tier_profit_rate = fields.Float(string="Tier Net Profit Rate (%)", digits=(16, 1), readonly=True)
    growth_rate = fields.Float(string="Growth (%)", digits=(16, 1), readonly=True)
    company_sales = fields.Monetary(currency_field='currency_id', readonly=True)
    company_prev_sales = fields.Monetary(string="Company Sales, Previous Period", currency_field='currency_id',
                                         readonly=True)
    company_growth_rate = fields.Float(string="Company Growth (%)", digits=(16, 1), readonly=True)
    payment_delay = fields.Float(string="Average Payment Delay (days)", digits=(16, 1), readonly=True)
    overdue_amount = fields.Monetary(string="Overdue at Period End", currency_field='currency_id', readonly=True)
    survey_count = fields.Integer(string="Opinion Forms", readonly=True)
    survey_avg = fields.Float(string="Opinion Average (1–5)", digits=(16, 2), readonly=True)

    # the seven dimensions, 0–100
    sales_score = fields.Float(string="Sales Contribution", digits=(16, 1), readonly=True, aggregator='avg')
    profit_score = fields.Float(string="Profit Contribution", digits=(16, 1), readonly=True, aggregator='avg')
    profit_scored = fields.Boolean(readonly=True)
    capability_score = fields.Float(
        string="Capability", digits=(16, 1), compute='_compute_judged_scores', store=True, aggregator='avg')
    cooperation_measured_score = fields.Float(string="Cooperation (measured)", digits=(16, 1), readonly=True)
    cooperation_judged_score = fields.Float(
        string="Cooperation (judged)", digits=(16, 1), compute='_compute_judged_scores', store=True)
    cooperation_score = fields.Float(
        string="Cooperation", digits=(16, 1), compute='_compute_judged_scores', store=True, aggregator='avg')
    adaptability_score = fields.Float(
        string="Adaptability", digits=(16, 1), compute='_compute_judged_scores', store=True, aggregator='avg')
    growth_score = fields.Float(string="Growth Contribution", digits=(16, 1), readonly=True, aggregator='avg')
    growth_scored = fields.Boolean(readonly=True)
    satisfaction_measured_score = fields.Float(string="Satisfaction (measured)", digits=(16, 1), readonly=True)
    satisfaction_score = fields.Float(
        string="End-Customer Satisfaction", digits=(16, 1), compute='_compute_judged_scores', store=True,
        aggregator='avg')
    judged_complete = fields.Boolean(compute='_compute_judged_scores', store=True)

    # judged criteria (seed 001 §四(三)(四)(五))
    capability_1 = fields.Selection(SCALE, string="Knows how to run our products successfully")
    capability_2 = fields.Selection(SCALE, string="Knows our products and services well")
    capability_3 = fields.Selection(SCALE, string="Knows the competitors' products and services")
    capability_4 = fields.Selection(SCALE, string="Sales staff quality meets our expectations")
    capability_5 = fields.Selection(SCALE, string="Funds meet our minimum for a customer")
    capability_6 = fields.Selection(SCALE, string="Own customer base fits our target market")
    capability_note = fields.Text(string="Capability: Reasons")
    cooperation_1 = fields.Selection(SCALE, string="Supports the programmes we find important")
    cooperation_2 = fields.Selection(SCALE, string="Follows our procedures and steps")
    cooperation_3 = fields.Selection(SCALE, string="No cross-territory dumping (冲货), keeps our price policy")
    cooperation_4 = fields.Selection(SCALE, string="Supports our sales management work")
    cooperation_note = fields.Text(string="Cooperation: Reasons")
    adaptability_1 = fields.Selection(SCALE, string="Senses the market's long-term trends and adjusts")
    adaptability_2 = fields.Selection(SCALE, string="Innovates in selling our products")
    adaptability_3 = fields.Selection(SCALE, string="Adapts to changes in competition")
    adaptability_4 = fields.Selection(SCALE, string="Invests in training")
    adaptability_5 = fields.Selection(SCALE, string="Makes suggestions on our sales management")
    adaptability_note = fields.Text(string="Adaptability: Reasons")
    satisfaction_adjustment = fields.Integer(
        help="From −20 to +20: what the figures miss (does the customer try hard to satisfy its own "
             "customers, does it offer them good solutions, do we hear their complaints about it).")
    satisfaction_note = fields.Text(string="Satisfaction: Reasons")

    # total and grade
    total = fields.Float(string="Weighted Total", digits=(16, 1), compute='_compute_total', store=True,
                         aggregator='avg')
    grade = fields.Selection(GRADES, compute='_compute_total', store=True, index=True)
    previous_evaluation_id = fields.Many2one('custmgmt.evaluation', readonly=True,
                                             ondelete='set null')
    previous_total = fields.Float(related='previous_evaluation_id.total', string="Previous Total", store=True)
    previous_grade = fields.Selection(related='previous_evaluation_id.grade', string="Previous Grade", store=True)
    total_change = fields.Float(string="Change", digits=(16, 1), compute='_compute_total', store=True)
    grade_fell = fields.Boolean(compute='_compute_total', store=True)

    # the reasons shown beside each measured dimension, in the reader's language
    sales_reason = fields.Text(compute='_compute_reasons')
    profit_reason = fields.Text(compute='_compute_reasons')
    cooperation_reason = fields.Text(compute='_compute_reasons')
    growth_reason = fields.Text(compute='_compute_reasons')
    satisfaction_reason = fields.Text(compute='_compute_reasons')

    _sql_constraints = [
        ('custmgmt_evaluation_unique', 'UNIQUE(partner_id, company_id, period)',
         "A customer has one evaluation per company and period."),
        ('custmgmt_evaluation_adjustment', 'CHECK(satisfaction_adjustment BETWEEN -20 AND 20)',
         "The satisfaction adjustment is from −20 to +20."),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = "%s – %s" % (evaluation.partner_id.display_name or '', evaluation.period or '')

    @api.depends(*CRITERIA_FIELDS, 'satisfaction_adjustment', 'cooperation_measured_score',
                 'satisfaction_measured_score')
    def _compute_judged_scores(self):
        for evaluation in self:
            judged = evaluation._judged()
            scores = evaluation._scores()
            evaluation.capability_score = judged['capability'] or 0.0
            evaluation.adaptability_score = judged['adaptability'] or 0.0
            evaluation.cooperation_judged_score = judged['cooperation_judged'] or 0.0
            evaluation.cooperation_score = scores['cooperation']
            evaluation.satisfaction_score = scores['satisfaction']
            evaluation.judged_complete = all(evaluation[fname] for fname in CRITERIA_FIELDS)

    @api.depends('sales_score', 'profit_score', 'profit_scored', 'growth_score', 'growth_scored',
                 'capability_score', 'cooperation_score', 'adaptability_score', 'satisfaction_score',
                 'judged_complete', 'previous_total', 'previous_grade', 'previous_evaluation_id')
    def _compute_total(self):
        for evaluation in self:
            policy = evaluation.company_id.sudo()._custmgmt_eval_policy()
            has_previous = bool(evaluation.previous_evaluation_id)
            total, grade, change, fell = eval_rules.summary(
                evaluation._scores(), policy['weights'], policy['thresholds'],
                evaluation.previous_total if has_previous else None, evaluation.previous_grade)
            evaluation.total = total or 0.0
            evaluation.grade = grade
            evaluation.total_change = change
            evaluation.grade_fell = fell

    @api.depends_context('lang')
    @api.depends(*MEASURED_FIELDS)
    def _compute_reasons(self):
        for evaluation in self:
            money = evaluation._format_money
            previous = (_("Previous period: %(sales)s.", sales=money(evaluation.prev_sales_amount))
                        if evaluation.prev_sales_amount > 0 else _("No sales in the previous period."))
            evaluation.sales_reason = _(
                "Sales %(sales)s against %(average)s on average for the customer's tier (50 at the average, "
                "100 at twice it). %(previous)s",
                sales=money(evaluation.sales_amount), average=money(evaluation.tier_avg_sales), previous=previous)
            evaluation.profit_reason = _(
                "Margin %(margin)s (sales less standard cost %(cost)s) less the cost to serve %(serve)s "
                "(%(visits)s visits, %(complaints)s complaints): net %(net)s, %(rate)s %% of sales against "
                "%(tier_rate)s %% for the tier.",
                margin=money(evaluation.sales_amount - evaluation.cost_amount), cost=money(evaluation.cost_amount),
                serve=money(evaluation.cost_to_serve), visits=evaluation.visit_count,
                complaints=evaluation.complaint_count, net=money(evaluation.net_profit),
                rate=round(evaluation.profit_rate, 1), tier_rate=round(evaluation.tier_profit_rate, 1))
            evaluation.cooperation_reason = _(
                "Measured: average payment delay %(delay)s days, overdue at the period's end %(overdue)s, "
                "%(disputes)s disputes or contract breaches. Judged: the criteria below; the score is half each.",
                delay=round(evaluation.payment_delay, 1), overdue=money(evaluation.overdue_amount),
                disputes=evaluation.dispute_count)
            evaluation.growth_reason = _(
                "Customer growth %(growth)s %% against %(company)s %% for the company over the same periods.",
                growth=round(evaluation.growth_rate, 1), company=round(evaluation.company_growth_rate, 1)
            ) if evaluation.growth_scored else _(
                "Not scored: the customer bought nothing in the previous period.")
            survey = _("%(count)s opinion forms, average %(avg)s / 5",
                       count=evaluation.survey_count, avg=round(evaluation.survey_avg, 2)) \
                if evaluation.survey_count else _("no opinion form answered (75 assumed)")
            evaluation.satisfaction_reason = _(
                "%(survey)s, %(complaints)s complaints (−10 each), adjusted by the salesperson.",
                survey=survey, complaints=evaluation.complaint_count)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get('state', 'draft') != 'draft' for vals in vals_list):
            raise UserError(_("An evaluation is created as a draft; it is approved by a Manager."))
        return super().create(vals_list)

    def write(self, vals):
        written = set(vals) - MAIL_FIELDS
        flow = self.env.context.get('custmgmt_evaluation_flow') is FLOW
        if written and not flow and any(e.state == 'approved' for e in self):
            raise UserError(_("Approved evaluations are read-only."))
        if written and not flow and not self.env.su:
            self._check_user_write(written)
        return super().write(vals)

    def _check_user_write(self, written):
        """What a user may write by hand: the judged parts in draft (the
        customer's salesperson or archive owner, or a Manager), and the
        comment of a submitted evaluation (a Manager). The rest is the job's
        and the flow's."""
        manager = self.env.user.has_group('custmgmt_addon.group_custmgmt_manager')
        others = written - JUDGED_FIELDS - {'return_comment'}
        if others:
            raise AccessError(_("The measured figures and the state of an evaluation are set by the evaluation "
                                "job and its buttons, not by hand."))
        if written & JUDGED_FIELDS:
            if any(e.state != 'draft' for e in self):
                raise UserError(_("The judged parts can be changed only while the evaluation is a draft."))
            if not manager:
                self._check_filler()
        if 'return_comment' in written and not (manager and all(e.state == 'submitted' for e in self)):
            raise AccessError(_("Only a Manager writes why a submitted evaluation is sent back."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(evaluation.state == 'approved' for evaluation in self):
            raise UserError(_("Approved evaluations cannot be deleted."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        self.check_access('write')
        for evaluation in self:
            if evaluation.state != 'draft':
                raise UserError(_("Only a draft evaluation can be submitted."))
            evaluation._check_filler()
            if not evaluation.judged_complete:
                missing = [evaluation._fields[fname].get_description(self.env)['string']
                           for fname in CRITERIA_FIELDS if not evaluation[fname]]
                raise UserError(_("Score every judged criterion of %(evaluation)s before submitting it:\n%(missing)s",
                                  evaluation=evaluation.display_name, missing="\n".join(missing)))
        self._flow_write({'state': 'submitted', 'submitted_by_id': self.env.uid})
        self._close_activities(_("Submitted."))
        return True

    def action_approve(self):
        self._check_manager()
        if any(evaluation.state != 'submitted' for evaluation in self):
            raise UserError(_("Only a submitted evaluation can be approved."))
        # the measured figures as they are now, frozen from here on
        self.env['custmgmt.evaluation.engine']._refresh(self)
        self._flow_write({'state': 'approved', 'approved_by_id': self.env.uid,
                          'approved_date': fields.Date.context_today(self)})
        for evaluation in self:
            evaluation.message_post(body=_("Approved: total %(total)s, %(grade)s.", total=round(evaluation.total, 1),
                                           grade=dict(evaluation._fields['grade']._description_selection(
                                               self.env)).get(evaluation.grade, '')))
        return True

    def action_send_back(self):
        self._check_manager()
        for evaluation in self:
            if evaluation.state != 'submitted':
                raise UserError(_("Only a submitted evaluation can be sent back."))
            if not (evaluation.return_comment or '').strip():
                raise UserError(_("Write why you send %(evaluation)s back.", evaluation=evaluation.display_name))
        self._flow_write({'state': 'draft'})
        activity_type = self.env.ref('custmgmt_addon.mail_activity_type_evaluation')
        for evaluation in self.sudo():
            evaluation.message_post(body=_("Sent back: %(comment)s", comment=evaluation.return_comment))
            if evaluation.salesperson_id:
                evaluation.with_context(mail_activity_quick_update=True).activity_schedule(
                    activity_type_id=activity_type.id, user_id=evaluation.salesperson_id.id,
                    summary=_("Evaluation sent back: see the comment"), note=evaluation.return_comment)
        return True

    def action_refresh_figures(self):
        """Measure the figures of draft evaluations again (the job does it on every run)."""
        self.check_access('write')
        if any(evaluation.state != 'draft' for evaluation in self):
            raise UserError(_("Only the figures of a draft evaluation are measured again."))
        self.env['custmgmt.evaluation.engine']._refresh(self)
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_filler(self):
        """The customer's salesperson or archive owner, or a Manager."""
        if self.env.su or self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            return
        user = self.env.user
        if any(user not in (e.sudo().partner_id.user_id | e.sudo().partner_id.custmgmt_archive_user_id) for e in self):
            raise AccessError(_("Only the customer's salesperson or a Manager fills in its evaluation."))

    def _check_manager(self):
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(_("Only customer management Managers approve or send back evaluations."))
        self.check_access('write')

    def _flow_write(self, vals):
        """The flow's own writes (state, stamps), past the guards of ``write``."""
        return self.sudo().with_context(custmgmt_evaluation_flow=FLOW).write(vals)

    def _close_activities(self, feedback):
        activity_type = self.env.ref('custmgmt_addon.mail_activity_type_evaluation')
        self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type).action_feedback(
            feedback=feedback)

    def _judged(self):
        self.ensure_one()
        return {
            'capability': eval_rules.likert_score(self[f] for f in CAPABILITY_FIELDS),
            'adaptability': eval_rules.likert_score(self[f] for f in ADAPTABILITY_FIELDS),
            'cooperation_judged': eval_rules.likert_score(self[f] for f in COOPERATION_FIELDS),
        }

    def _scores(self):
        """``{dimension: score or None}`` of this evaluation."""
        self.ensure_one()
        judged = self._judged()
        return eval_rules.scores(
            self.sales_score, self.profit_score if self.profit_scored else None,
            self.growth_score if self.growth_scored else None, self.cooperation_measured_score,
            self.satisfaction_measured_score, capability=judged['capability'],
            cooperation_judged=judged['cooperation_judged'], adaptability=judged['adaptability'],
            adjustment=self.satisfaction_adjustment)

    def _format_money(self, amount):
        return format_amount(self.env, amount, self.currency_id or self.env.company.currency_id)
