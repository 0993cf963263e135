import time

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_date, split_every

from ..rules import credit as credit_rules
from ..rules import guards
from ..rules import tiers as tier_rules
from .custmgmt_job_runner import CRON_COLLECTION, JOB_CALL_SECONDS

COLLECTION_BATCH = 1000
# argument of rules.tiers -> field of the company (and of res.config.settings)
TIER_POLICY_FIELDS = {
    'months': 'custmgmt_tier_months',
    'method': 'custmgmt_tier_method',
    'a_share': 'custmgmt_tier_a_share',
    'b_share': 'custmgmt_tier_b_share',
    'a_amount': 'custmgmt_tier_a_amount',
    'b_amount': 'custmgmt_tier_b_amount',
}


class ResCompany(models.Model):
    _inherit = 'res.company'

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    custmgmt_tier_months = fields.Integer(
        string="Tier Window (months)", default=3,
        help="Number of complete calendar months averaged to tier customers.")
    custmgmt_tier_method = fields.Selection(
        [('pareto', 'Pareto share'), ('amount', 'Grade standard amount')],
        string="Tier Method", default='pareto', required=True)
    custmgmt_tier_a_share = fields.Float(
        string="A Share (%)", default=80.0,
        help="Customers ranked above this cumulative share of sales are strategic (A).")
    custmgmt_tier_b_share = fields.Float(
        string="B Share (%)", default=95.0,
        help="Customers ranked above this cumulative share of sales, and not A, are key (B).")
    custmgmt_tier_a_amount = fields.Float(
        string="A Grade Amount", default=100000.0,
        help="Monthly average from which a customer is strategic (A), in company currency.")
    custmgmt_tier_b_amount = fields.Float(
        string="B Grade Amount", default=10000.0,
        help="Monthly average from which a customer is key (B), in company currency.")
    custmgmt_tier_last_run_date = fields.Date(string="Tiers Last Computed", readonly=True)
    custmgmt_tier_last_months = fields.Integer(string="Last Tier Window (months)", readonly=True)
    custmgmt_tier_last_count = fields.Integer(string="Customers Tiered", readonly=True)
    # complaints: days to answer by the customer's tier
    custmgmt_complaint_days_a = fields.Integer(string="Complaint Days (A)", default=1)
    custmgmt_complaint_days_b = fields.Integer(string="Complaint Days (B)", default=2)
    custmgmt_complaint_days_c = fields.Integer(string="Complaint Days (C and untiered)", default=3)
    # credit and collection
    custmgmt_long_overdue_days = fields.Integer(
        string="Long Overdue (days)", default=60,
        help="An overdue customer is long overdue when its oldest open item is overdue this many days or more.")
    custmgmt_large_overdue_amount = fields.Float(
        string="Large Overdue Amount", default=10000.0,
        help="An overdue customer is large when it owes this much overdue or more, in company currency.")
    custmgmt_hold_overdue_days = fields.Integer(
        string="Hold Orders Overdue (days)", default=90,
        help="Orders of a customer with an open item overdue more than this many days are held.")
    custmgmt_dunning_interval_days = fields.Integer(
        string="Dunning Interval (days)", default=15,
        help="Days between two dunning letter levels.")
    custmgmt_collection_user_id = fields.Many2one(
        'res.users', string="Collection User",
        help="Finance user who sends the payment reminders of short, small overdue amounts.")
    custmgmt_finance_manager_id = fields.Many2one(
        'res.users', string="Finance Manager",
        help="Agrees special measures with the salesperson for long, large overdue amounts.")
    custmgmt_credit_hold_enabled = fields.Boolean(
        string="Credit Hold",
        help="Refuse to confirm an order that takes the paying customer over its credit limit (in company "
             "currency) or whose customer has an item overdue too long, unless Finance approves a credit "
             "exception. Core's credit-limit option only warns; this blocks. Off until Finance turns it on.")
    custmgmt_invoice_gate = fields.Boolean(
        string="Invoice Credit Gate",
        help="Also hold the posting of customer invoices that do not come from a confirmed order, with the "
             "same rules and the same Finance exception.")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains('custmgmt_tier_months', 'custmgmt_tier_method', 'custmgmt_tier_a_share',
                    'custmgmt_tier_b_share', 'custmgmt_tier_a_amount', 'custmgmt_tier_b_amount')
    def _check_custmgmt_tier_policy(self):
        for company in self:
            company._custmgmt_raise_policy_problems(company._custmgmt_tier_policy())

    # ------------------------------------------------------------
    # BUSINESS METHODS: policy
    # ------------------------------------------------------------

    def _custmgmt_tier_policy(self):
        self.ensure_one()
        return {key: self[fname] for key, fname in TIER_POLICY_FIELDS.items()}

    @api.model
    def _custmgmt_check_tier_manager(self):
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_manager'):
            raise AccessError(_("Only customer management Managers can change the tier policy or recompute tiers."))

    @api.model
    def _custmgmt_raise_policy_problems(self, policy):
        messages = {
            'method': _("Unknown tier method."),
            'months': _("The tier window must be between 1 and 12 months."),
            'shares': _("Pareto cut points must satisfy 0 < A share < B share ≤ 100."),
            'amounts': _("Grade standard amounts must satisfy A amount > B amount ≥ 0."),
            'share_range': _("Shares are percentages from 0 to 100."),
            'amount_range': _("Grade standard amounts cannot be negative."),
        }
        problems = tier_rules.check_policy(**policy)
        if problems:
            raise ValidationError("\n".join(messages[code] for code, _msg in problems))

    def _custmgmt_tier_last_window_label(self):
        """'Aug–Oct 2026' for the window of the last recompute, '' if none."""
        self.ensure_one()
        if not self.custmgmt_tier_last_run_date or not self.custmgmt_tier_last_months:
            return ''
        start, end = tier_rules.tier_window(self.custmgmt_tier_last_run_date, self.custmgmt_tier_last_months)
        last = fields.Date.subtract(end, days=1)
        if start.month == last.month and start.year == last.year:
            return format_date(self.env, start, date_format='MMM yyyy')
        first_fmt = 'MMM' if start.year == last.year else 'MMM yyyy'
        return "%s–%s" % (format_date(self.env, start, date_format=first_fmt),
                          format_date(self.env, last, date_format='MMM yyyy'))

    def _custmgmt_tier_mark_run(self, run_date, count):
        """Remember the date, window and count of this company's last recompute
        (written only when they differ, so that a second run writes nothing)."""
        self.ensure_one()
        last = {
            'custmgmt_tier_last_run_date': run_date,
            'custmgmt_tier_last_months': self.custmgmt_tier_months,
            'custmgmt_tier_last_count': count,
        }
        if any(self[fname] != value for fname, value in last.items()):
            self.write(last)

    # ------------------------------------------------------------
    # BUSINESS METHODS: collection matrix (seed 003 第六式)
    # ------------------------------------------------------------

    @api.constrains('custmgmt_long_overdue_days', 'custmgmt_large_overdue_amount', 'custmgmt_hold_overdue_days',
                    'custmgmt_dunning_interval_days')
    def _check_custmgmt_credit_policy(self):
        for company in self:
            if not credit_rules.policy_is_valid(
                    company.custmgmt_long_overdue_days, company.custmgmt_hold_overdue_days,
                    company.custmgmt_dunning_interval_days, company.custmgmt_large_overdue_amount):
                raise ValidationError(_("Day thresholds must be at least 1 and the large amount not negative."))

    def _custmgmt_overdue_customers(self, today):
        """``{commercial_partner_id: (overdue_amount, oldest_overdue_days)}`` of
        this company's customers with overdue receivables: one grouped query."""
        self.ensure_one()
        self.env['account.move.line'].flush_model(
            ['amount_residual', 'date_maturity', 'date', 'partner_id', 'account_id', 'parent_state',
             'reconciled', 'company_id'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id,
                   SUM(line.amount_residual),
                   MAX(%(today)s::date - COALESCE(line.date_maturity, line.date))
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE
               AND line.amount_residual > 0
               AND COALESCE(line.date_maturity, line.date) < %(today)s
               AND line.company_id = %(company)s
          GROUP BY partner.commercial_partner_id
            """,
            today=today, company=self.id,
        ))
        return {partner_id: (float(amount), days) for partner_id, amount, days in rows}

    def _custmgmt_collection_activity_types(self):
        return {
            'reminder': self.env.ref('custmgmt_addon.mail_activity_type_payment_reminder'),
            'collection_visit': self.env.ref('custmgmt_addon.mail_activity_type_collection_visit'),
            'special_measures': self.env.ref('custmgmt_addon.mail_activity_type_special_measures'),
        }

    def _custmgmt_collection_plan(self, today, overdue, existing):
        """What the matrix asks for the overdue customers that is not done yet.

        :param overdue: ``{partner_id: (overdue_amount, oldest_overdue_days)}``
        :param existing: ``{(partner_id, user_id)}`` of the open collection activities
        :return: ``(activities, letters)``: the activities to create as
            ``(partner_id, user_id, action, amount, days)`` and the customers
            whose dunning level goes up, ``{new_level: [partner_id]}``
        """
        self.ensure_one()
        key = str(self.id)
        self.env['res.partner'].flush_model(['user_id', 'custmgmt_dunning_level', 'custmgmt_dunning_date'])
        info = {
            pid: (user_id, level or 0, fields.Date.to_date(last) if last else None)
            for pid, user_id, level, last in self.env.execute_query(SQL(
                """
                SELECT id, user_id, (custmgmt_dunning_level ->> %(key)s)::int, custmgmt_dunning_date ->> %(key)s
                  FROM res_partner WHERE id = ANY(%(ids)s)
                """, key=key, ids=list(overdue)))
        }
        collector = (self.custmgmt_collection_user_id or self.custmgmt_finance_manager_id).id
        users = {'collector': collector, 'finance_manager': self.custmgmt_finance_manager_id.id or collector}
        long_days, large_amount = self.custmgmt_long_overdue_days, self.custmgmt_large_overdue_amount
        activities, letters = [], {}
        for partner_id in sorted(overdue):
            amount, days = overdue[partner_id]
            salesperson, level, last = info.get(partner_id, (None, 0, None))
            for who, action in credit_rules.matrix_actions(credit_rules.quadrant(days, amount, long_days, large_amount)):
                if action == 'dunning_letter':
                    new_level = credit_rules.next_dunning_level(level, last, today, self.custmgmt_dunning_interval_days)
                    if new_level != level:
                        letters.setdefault(new_level, []).append(partner_id)
                    continue
                user_id = (salesperson or collector) if who == 'salesperson' else users[who]
                if not user_id or (partner_id, user_id) in existing:
                    continue
                existing.add((partner_id, user_id))
                activities.append((partner_id, user_id, action, amount, days))
        return activities, letters

    def _custmgmt_create_collection_activities(self, rows, types, today):
        """One batch of collection activities, created at once. Assignees see
        them in their activities; one e-mail per activity would bury them."""
        self.ensure_one()
        model_id = self.env['ir.model']._get_id('res.partner')
        self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True).create([{
            'res_model_id': model_id, 'res_id': partner_id, 'user_id': user_id,
            'activity_type_id': types[action].id, 'date_deadline': today,
            # no amounts here: activities on a customer are read by every internal
            # user; the figures are behind the link, in the restricted aging report
            'summary': _("Overdue receivables in %(company)s", company=self.name),
            'note': Markup('<p><a href="/odoo/action-custmgmt_addon.custmgmt_overdue_list_action">%s</a></p>')
            % _("Open the overdue items (Finance and the customer's salesperson)"),
        } for partner_id, user_id, action, amount, days in rows])

    def _custmgmt_invoice_contacts(self, partner_ids):
        """``{partner_id: contact_id}``: the invoicing contact of each customer
        (its first invoice address with an e-mail, else the customer itself)."""
        self.env['res.partner'].flush_model(['parent_id', 'type', 'email', 'active'])
        return dict(self.env.execute_query(SQL(
            """
            SELECT customer.id,
                   COALESCE((SELECT contact.id FROM res_partner contact
                              WHERE contact.parent_id = customer.id AND contact.type = 'invoice'
                                AND contact.active AND COALESCE(contact.email, '') != ''
                           ORDER BY contact.id LIMIT 1), customer.id)
              FROM res_partner customer WHERE customer.id = ANY(%(ids)s)
            """, ids=list(partner_ids))))

    def _custmgmt_dunning_items(self, partner_ids, today):
        """``{partner_id: [(reference, due date)]}``: this company's overdue
        items of these customers, for their letters (one query for the batch)."""
        self.ensure_one()
        self.env['account.move.line'].flush_model()
        items = {}
        for partner_id, reference, due in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, move.name, COALESCE(line.date_maturity, line.date)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE AND line.amount_residual > 0
               AND COALESCE(line.date_maturity, line.date) < %(today)s
               AND line.company_id = %(company)s AND partner.commercial_partner_id = ANY(%(ids)s)
          ORDER BY 3, 2
            """, today=today, company=self.id, ids=list(partner_ids))):
            items.setdefault(partner_id, []).append((reference, format_date(self.env, due)))
        return items

    def _custmgmt_dunning_items_html(self, items):
        if not items:
            return Markup()
        return Markup('<ul>%s</ul>') % Markup().join(
            Markup('<li>%s – %s</li>') % (reference, due) for reference, due in items)

    def _custmgmt_dunning_signature(self):
        """This company's name, address and e-mail, closing its letters."""
        self.ensure_one()
        lines = [' '.join(line.split('\n')).strip() for line in
                 (self.name, self.partner_id.contact_address, self.email) if line and line.strip()]
        return Markup('<p>%s</p>') % Markup('<br/>').join(lines)

    def _custmgmt_send_dunning_letters(self, level, partner_ids, today):
        """Raise these customers to dunning ``level`` and send each the letter
        of that level (its mail template) at its invoicing contact, logged in
        its chatter: the template is rendered for the whole batch and the
        mails, with their chatter messages, are created at once and left to
        the mail queue."""
        self.ensure_one()
        customers = self.env['res.partner'].sudo().with_company(self).browse(partner_ids)
        customers.write({'custmgmt_dunning_level': level, 'custmgmt_dunning_date': today})
        # rendered as this company (its name, address and e-mail), about its own items only; the
        # body stays a template of plain field placeholders (mail renders those without compiling
        # QWeb for every letter), this company's items and signature are added to it
        template = self.env.ref(f'custmgmt_addon.mail_template_dunning_{level}').sudo().with_company(self)
        rendered = template._generate_template(partner_ids, ('subject', 'body_html', 'email_from', 'reply_to'))
        items = self._custmgmt_dunning_items(partner_ids, today)
        signature = self._custmgmt_dunning_signature()
        for partner_id in partner_ids:
            rendered[partner_id]['body_html'] = Markup(rendered[partner_id].get('body_html') or '') \
                + self._custmgmt_dunning_items_html(items.get(partner_id, [])) + signature
        contacts = self._custmgmt_invoice_contacts(partner_ids)
        default_from = self.email_formatted or self.env.user.email_formatted
        author_id = self.env.user.partner_id.id
        subtype_id = self.env['ir.model.data']._xmlid_to_res_id('mail.mt_comment')
        self.env['mail.mail'].sudo().create([{
            'model': 'res.partner', 'res_id': partner_id, 'record_name': customer.display_name,
            'message_type': 'comment', 'subtype_id': subtype_id, 'author_id': author_id,
            'subject': rendered[partner_id].get('subject'),
            'body': rendered[partner_id].get('body_html'), 'body_html': rendered[partner_id].get('body_html'),
            'email_from': rendered[partner_id].get('email_from') or default_from,
            'reply_to': rendered[partner_id].get('reply_to') or False,
            'partner_ids': [Command.link(contacts[partner_id])],
            'recipient_ids': [Command.link(contacts[partner_id])],
            'auto_delete': template.auto_delete, 'is_notification': True,
        } for partner_id, customer in zip(partner_ids, customers)])

    def _custmgmt_close_paid_collection(self, today, overdue, open_rows, auto_commit=False):
        """Customers no longer overdue: their collection activities are closed
        with a note (unless they still owe another company: activities have no
        company) and this company's dunning level goes back to 0. Returns the
        number of activities closed and levels reset."""
        self.ensure_one()
        key = str(self.id)
        candidates = {res_id for _id, res_id, _user in open_rows if res_id not in overdue}
        if candidates:
            candidates -= {row[0] for row in self.env.execute_query(SQL(
                """
                SELECT DISTINCT partner.commercial_partner_id
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE AND line.amount_residual > 0
                   AND COALESCE(line.date_maturity, line.date) < %(today)s
                   AND partner.commercial_partner_id = ANY(%(ids)s)
                """, today=today, ids=list(candidates)))}
        paid = [act_id for act_id, res_id, _user in open_rows if res_id in candidates]
        for chunk in split_every(COLLECTION_BATCH, paid, list):
            self.env['mail.activity'].sudo().browse(chunk).action_feedback(
                feedback=_("No longer overdue: collection closed."))
            if auto_commit:
                self.env.cr.commit()
                self.env.invalidate_all()
        dunned = [pid for (pid,) in self.env.execute_query(SQL(
            "SELECT id FROM res_partner WHERE (custmgmt_dunning_level ->> %s)::int > 0", key)) if pid not in overdue]
        if dunned:
            self.env['res.partner'].sudo().with_company(self).browse(dunned).write(
                {'custmgmt_dunning_level': 0, 'custmgmt_dunning_date': False})
        return len(paid) + len(dunned)

    def _custmgmt_run_collection(self, today=None, auto_commit=False, max_seconds=None):
        """Apply the collection matrix to this company's overdue customers.

        Grouped queries read the overdue customers, the open collection
        activities and the dunning levels; the matrix is ``rules.credit``;
        activities and dunning letters are made in batches, each committed with
        ``auto_commit``. Idempotent: at most one open collection activity per
        customer and person, one dunning step per interval, so a second run
        makes nothing and an interrupted run (``max_seconds`` spent) is
        finished by the next call. Returns ``(done, remaining)``."""
        self.ensure_one()
        self.env['custmgmt.job.runner']._lock(CRON_COLLECTION)
        company = self.sudo()
        started = time.monotonic()
        today = today or fields.Date.context_today(company)
        cr = self.env.cr
        types = company._custmgmt_collection_activity_types()
        overdue = company._custmgmt_overdue_customers(today)
        self.env['mail.activity'].flush_model(['res_model', 'res_id', 'user_id', 'activity_type_id', 'active'])
        open_rows = self.env.execute_query(SQL(
            "SELECT id, res_id, user_id FROM mail_activity WHERE res_model = 'res.partner' AND active "
            "AND activity_type_id = ANY(%s)", [t.id for t in types.values()]))
        existing = {(res_id, user_id) for _id, res_id, user_id in open_rows}
        activities, letters = company._custmgmt_collection_plan(today, overdue, existing)
        del existing
        batches = [(None, chunk) for chunk in split_every(COLLECTION_BATCH, activities, list)]
        batches += [(level, chunk) for level, partner_ids in sorted(letters.items())
                    for chunk in split_every(COLLECTION_BATCH, partner_ids, list)]
        del activities, letters
        done = 0
        for number, (level, chunk) in enumerate(batches, 1):
            if level is None:
                company._custmgmt_create_collection_activities(chunk, types, today)
            else:
                company._custmgmt_send_dunning_letters(level, chunk, today)
            done += len(chunk)
            if auto_commit:
                cr.commit()
                self.env.invalidate_all()  # keep the cache, and the memory, to one batch
            if max_seconds is not None and number < len(batches) and time.monotonic() - started >= max_seconds:
                return done, sum(len(chunk) for _level, chunk in batches[number:])
        done += company._custmgmt_close_paid_collection(today, overdue, open_rows, auto_commit=auto_commit)
        if auto_commit:
            cr.commit()
        return done, 0

    @api.model
    def _cron_custmgmt_collection(self):
        """Daily collection matrix of every company, in calls of about
        JOB_CALL_SECONDS: while work remains the cron framework calls again,
        and the next call finishes what this one left (the run is idempotent)."""
        runner = self.env['custmgmt.job.runner']
        auto_commit = runner._cron_start(CRON_COLLECTION)
        if auto_commit is None:
            return
        started = time.monotonic()
        done = remaining = 0
        companies = self.search([])
        for index, company in enumerate(companies):
            budget = max(JOB_CALL_SECONDS - (time.monotonic() - started), 1)
            company_done, remaining = company._custmgmt_run_collection(auto_commit=auto_commit, max_seconds=budget)
            done += company_done
            if remaining:
                remaining += len(companies) - index - 1
                break
        runner._cron_progress(CRON_COLLECTION, done, remaining)

    # ------------------------------------------------------------
    # SERVICE BY TIER: visit cadence and surveys (seed 000 §五, seed 004)
    # ------------------------------------------------------------

    custmgmt_visit_days_a = fields.Integer(string="Visit Interval A (days)", default=10)
    custmgmt_visit_days_b = fields.Integer(string="Visit Interval B (days)", default=15)
    custmgmt_visit_days_c = fields.Integer(string="Visit Interval C (days)", default=30)
    custmgmt_visit_leader_a = fields.Boolean(string="Team Leader Visits A", default=True)
    custmgmt_visit_leader_b = fields.Boolean(string="Team Leader Visits B", default=True)
    custmgmt_visit_leader_c = fields.Boolean(string="Team Leader Visits C", default=False)
    custmgmt_top_visit_days = fields.Integer(
        string="Top-Management Visit Interval (days)", default=90,
        help="Days between two top-management visits (高层互访) to a strategic (A) customer; 0 for none.")
    custmgmt_top_visitor_ids = fields.Many2many(
        'res.users', 'custmgmt_company_top_visitor_rel', 'company_id', 'user_id', string="Top Management",
        domain=[('share', '=', False)],
        help="Who makes the top-management visits; the sales team leader when empty.")
    custmgmt_survey_id = fields.Many2one(
        'survey.survey', string="Customer Opinion Survey", domain=[('custmgmt_opinion', '=', True)],
        help="The customer opinion form (客户意见调查表) filled in by the monthly and quarterly surveys.")

    @api.constrains('custmgmt_visit_days_a', 'custmgmt_visit_days_b', 'custmgmt_visit_days_c',
                    'custmgmt_top_visit_days')
    def _check_custmgmt_visit_days(self):
        for company in self:
            if not all(guards.interval_days_valid(days) for days in (
                    company.custmgmt_visit_days_a, company.custmgmt_visit_days_b, company.custmgmt_visit_days_c,
                    company.custmgmt_top_visit_days)):
                raise ValidationError(_("Visit intervals are days from 0 (no visits) to %(max)s.",
                                        max=guards.MAX_INTERVAL_DAYS))

    @api.constrains('custmgmt_complaint_days_a', 'custmgmt_complaint_days_b', 'custmgmt_complaint_days_c')
    def _check_custmgmt_complaint_days(self):
        for company in self:
            if not all(guards.complaint_days_valid(days) for days in (
                    company.custmgmt_complaint_days_a, company.custmgmt_complaint_days_b,
                    company.custmgmt_complaint_days_c)):
                raise ValidationError(_("Days to answer a complaint are from 0 (the same day) to %(max)s.",
                                        max=guards.MAX_COMPLAINT_DAYS))

    def _custmgmt_user_ids(self):
        """Ids of the active internal users who work in this company (visits
        and surveys of the company go to them only)."""
        self.ensure_one()
        return self.env['res.users'].sudo().search([
            ('company_ids', 'in', self.id), ('share', '=', False)]).ids

    def _custmgmt_service_policy(self):
        """The visit policy of this company, as ``rules.cadence`` takes it."""
        self.ensure_one()
        return {
            'intervals': {tier: self[f'custmgmt_visit_days_{tier}'] for tier in ('a', 'b', 'c')},
            'leader_tiers': tuple(tier for tier in ('a', 'b', 'c') if self[f'custmgmt_visit_leader_{tier}']),
            'top_interval': self.custmgmt_top_visit_days,
            'top_ids': self.custmgmt_top_visitor_ids.ids,
        }

    def _custmgmt_opinion_survey(self):
        self.ensure_one()
        return self.sudo().custmgmt_survey_id \
            or self.env.ref('custmgmt_addon.survey_customer_opinion', raise_if_not_found=False)
