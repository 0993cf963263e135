from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount

from ..rules import warnings as warning_rules

KIND_SELECTION = [
    ('key_decline', 'Key-Customer Decline'),
    ('churn', 'Churn Risk'),
    ('slow_payment', 'Slower Payment'),
    ('satisfaction', 'Satisfaction Drop'),
    ('complaints', 'Complaint Surge'),
    ('tier_down', 'Tier Down'),
    ('service_gap', 'Service Gap'),
    ('stale_archive', 'Stale Archive'),
    ('decision_chain', 'Decision-Chain Change'),
    ('credit', 'Credit Limit Near'),
]
SEVERITY_SELECTION = [('critical', 'Critical'), ('warning', 'Warning'), ('info', 'Information')]
STATE_SELECTION = [
    ('open', 'Open'),
    ('acknowledged', 'Acknowledged'),
    ('resolved', 'Resolved'),
    ('closed', 'Closed by Itself'),
]
OPEN_STATES = ('open', 'acknowledged')
TIER_LETTERS = {1: 'A', 2: 'B', 3: 'C'}
# what a User may write on a warning of their customers (the state through the buttons)
USER_FIELDS = {'user_id', 'resolution_note'}


class CustmgmtWarning(models.Model):
    """An early warning (预警) about one customer in one company: a situation
    the daily scan detected (seed 002: an unhappy customer orders less, pays
    later or drifts away before it complains), the figures that triggered it,
    and what the responsible did about it. Made and closed by
    ``custmgmt.warning.engine``; at most one live warning per customer,
    company and kind."""
    _name = 'custmgmt.warning'
    _description = "Customer Early Warning"
    _inherit = ['custmgmt.customer.mixin', 'mail.thread', 'mail.activity.mixin']
    _order = 'severity_rank desc, detected_on desc, id desc'
    _rec_names_search = ['partner_id']

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(required=True, ondelete='cascade')
    kind = fields.Selection(KIND_SELECTION, string="Warning Kind", required=True, readonly=True, index=True)
    severity = fields.Selection(SEVERITY_SELECTION, required=True, readonly=True, default='warning',
                                group_expand='_group_expand_severity')
    severity_rank = fields.Integer(string="Severity Order", compute='_compute_severity_rank', store=True)
    current_value = fields.Float(readonly=True, digits=(16, 2))
    reference_value = fields.Float(readonly=True, digits=(16, 2))
    threshold = fields.Float(readonly=True, digits=(16, 2))
    explanation = fields.Char(compute='_compute_explanation', help="What was detected, in the reader's language.")
    detected_on = fields.Date(required=True, readonly=True, index=True, default=fields.Date.context_today)
    user_id = fields.Many2one('res.users', string="Responsible", index=True, tracking=True,
                              domain=[('share', '=', False)])
    state = fields.Selection(STATE_SELECTION, required=True, default='open', tracking=True, index=True)
    resolution_note = fields.Text(tracking=True)
    condition_cleared_on = fields.Date(
        readonly=True, copy=False,
        help="The scan found the condition gone on this date. Until then the warning is live: a later scan "
             "makes no second one, even when it was resolved by hand.")
    currency_id = fields.Many2one(related='company_id.currency_id')

    # ------------------------------------------------------------
    # SQL CONSTRAINTS AND INDEXES
    # ------------------------------------------------------------

    def init(self):
        # at most one live warning (hence at most one open one) per customer, company and kind
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS custmgmt_warning_live_uniq ON custmgmt_warning "
            "(partner_id, company_id, kind) WHERE condition_cleared_on IS NULL"))

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.model
    def _group_expand_severity(self, values, domain):
        return [key for key, _label in SEVERITY_SELECTION]

    @api.depends('severity')
    def _compute_severity_rank(self):
        for warning in self:
            warning.severity_rank = warning_rules.severity_rank(warning.severity or 'info')

    @api.depends('partner_id', 'kind')
    def _compute_display_name(self):
        kinds = dict(self._fields['kind']._description_selection(self.env))
        for warning in self:
            warning.display_name = " – ".join(filter(None, [kinds.get(warning.kind), warning.partner_id.name]))

    @api.depends_context('lang')
    @api.depends('kind', 'severity', 'current_value', 'reference_value', 'threshold')
    def _compute_explanation(self):
        for warning in self:
            warning.explanation = warning._custmgmt_sentence() if warning.kind else False

    def _custmgmt_money(self, amount):
        return format_amount(self.env, amount, self.company_id.currency_id)

    def _custmgmt_sentence(self):
        """The sentence that explains this warning, in the reader's language."""
        self.ensure_one()
        cur, ref, thr = self.current_value, self.reference_value, self.threshold
        num = lambda value: ('%.2f' % value).rstrip('0').rstrip('.')  # noqa: E731
        kind = self.kind
        if kind == 'key_decline':
            fall = (ref - cur) * 100.0 / ref if ref else 0.0
            return _("Sales of the last months fell to %(current)s against %(reference)s before: %(fall)s %% "
                     "down (warning from %(threshold)s %%).", current=self._custmgmt_money(cur),
                     reference=self._custmgmt_money(ref), fall=num(round(fall, 1)), threshold=num(thr))
        if kind == 'churn':
            return _("No invoice for %(days)s days, where the customer usually orders every %(usual)s days "
                     "(warning after %(threshold)s days).", days=num(cur), usual=num(ref), threshold=num(thr))
        if kind == 'slow_payment' and self.severity == 'critical':
            return _("An item is overdue %(days)s days, though the customer paid %(usual)s days late on average "
                     "over 12 months (warning after %(threshold)s days).", days=num(cur), usual=num(ref),
                     threshold=num(thr))
        if kind == 'slow_payment':
            return _("Payments came %(recent)s days late on average over the last 3 months, against %(usual)s "
                     "days over 12 months (warning from %(threshold)s days more).", recent=num(cur),
                     usual=num(ref), threshold=num(thr))
        if kind == 'satisfaction' and self.severity == 'critical':
            return _("The latest opinion score is %(score)s / 5 (warning at %(threshold)s or less).",
                     score=num(cur), threshold=num(thr))
        if kind == 'satisfaction':
            return _("The opinion score fell from %(previous)s to %(score)s / 5 (warning from %(threshold)s "
                     "point down).", previous=num(ref), score=num(cur), threshold=num(thr))
        if kind == 'complaints' and self.severity == 'critical':
            return _("A strategic customer made a quality complaint (complaints in the window: %(count)s).",
                     count=num(cur))
        if kind == 'complaints':
            return _("Complaints in the window: %(count)s (warning from %(threshold)s).", count=num(cur),
                     threshold=num(thr))
        if kind == 'tier_down':
            return _("The monthly recompute moved the customer down from tier %(old)s to tier %(new)s.",
                     old=TIER_LETTERS.get(int(ref), '?'), new=TIER_LETTERS.get(int(cur), '?'))
        if kind == 'service_gap':
            return _("The routine visit is overdue by %(days)s days, more than the visit interval of %(interval)s "
                     "days.", days=num(cur), interval=num(ref))
        if kind == 'stale_archive':
            return _("The customer's archive was not reviewed for %(months)s months (review every %(threshold)s "
                     "months).", months=num(cur), threshold=num(thr))
        if kind == 'decision_chain':
            return _("The leader or the inside coach left the customer's decision chain and nobody holds that role "
                     "now.")
        if kind == 'credit':
            used = cur * 100.0 / ref if ref else 0.0
            return _("Credit exposure %(exposure)s is %(used)s %% of the credit limit %(limit)s: the next order "
                     "will be held (warning from %(threshold)s %%).", exposure=self._custmgmt_money(cur),
                     used=num(round(used, 1)), limit=self._custmgmt_money(ref), threshold=num(thr))
        return ""

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        """What the scan found is the scan's: people write the responsible and
        the resolution note, and change the state through the buttons."""
        if not self.env.su and not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager') \
                and {fname for fname in vals if not fname.startswith(('message_', 'activity_'))} - USER_FIELDS:
            raise UserError(_("Only the responsible and the resolution note of a warning can be changed; use "
                              "the Acknowledge and Resolve buttons for its state."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_acknowledge(self):
        """The responsible has seen it and works on it: their activity on it is done."""
        self.check_access('write')
        todo = self.filtered(lambda w: w.state == 'open')
        todo.sudo().write({'state': 'acknowledged'})
        todo.sudo().activity_ids.filtered(lambda act: act.user_id == self.env.user).action_feedback(
            feedback=_("Warning acknowledged."))
        return True

    def action_resolve(self):
        """Resolved by hand, with a note saying how; the activities on it are done."""
        self.check_access('write')
        todo = self.filtered(lambda w: w.state in OPEN_STATES)
        missing = todo.filtered(lambda w: not (w.resolution_note or '').strip())
        if missing:
            raise UserError(_("Write in the resolution note what was done about %(warning)s before resolving it.",
                              warning=missing[0].display_name))
        todo.sudo().write({'state': 'resolved'})
        todo.sudo().activity_ids.action_feedback(feedback=_("Warning resolved."))
        return True

    def action_open_customer(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'res.partner',
            'res_id': self.partner_id.id,
            'view_mode': 'form',
            'target': 'current',
        }
