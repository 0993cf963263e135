import time

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, split_every

from ..rules import warnings as warning_rules
from .custmgmt_job_runner import JOB_CALL_SECONDS

CRON_WARNINGS = 'custmgmt_addon.ir_cron_warnings'
WARNING_BATCH = 1000
ACTIVITY_TYPE = 'custmgmt_addon.mail_activity_type_warning'


class CustmgmtWarningEngine(models.AbstractModel):
    """The daily early-warning scan (预警) of each company.

    For every kind switched on, one grouped query fetches the figures of all
    the company's customers, the kind's rule (``rules.warnings``) decides
    where the condition holds, and the result is reconciled with the live
    warnings: a new warning (and activities for the people told) where none
    is live, the live one closed with a note where the condition cleared.
    Idempotent (a second run the same day makes and changes nothing) and
    resumable (an interrupted run is finished by the next call, which finds
    the committed batches done)."""
    _name = 'custmgmt.warning.engine'
    _description = "Customer Management: early-warning scan"

    # ------------------------------------------------------------
    # FETCH: one grouped query per kind, ``{partner_id: Signal}``
    # ------------------------------------------------------------

    @api.model
    def _tier_sql(self, company, alias='partner'):
        return SQL("%s.custmgmt_tier ->> %s", SQL.identifier(alias), str(company.id))

    @api.model
    def _signals_key_decline(self, company, policy, today):
        self.env['account.move'].flush_model(['company_id', 'state', 'move_type', 'invoice_date',
                                              'amount_untaxed_signed', 'commercial_partner_id'])
        self.env['res.partner'].flush_model(['custmgmt_tier'])
        recent, previous, year_before = warning_rules.decline_windows(today, policy['decline_months'])
        rows = self.env.execute_query(SQL(
            """
            SELECT move.commercial_partner_id, %(tier)s,
                   COALESCE(SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(r0)s), 0),
                   SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(p0)s
                                                             AND move.invoice_date < %(p1)s),
                   SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(y0)s
                                                             AND move.invoice_date < %(y1)s)
              FROM account_move move
              JOIN res_partner partner ON partner.id = move.commercial_partner_id
             WHERE move.company_id = %(company)s AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= LEAST(%(p0)s, %(y0)s) AND move.invoice_date < %(r1)s
               AND %(tier)s IN ('a', 'b')
          GROUP BY 1, 2
            """,
            tier=self._tier_sql(company), company=company.id, r0=recent[0], r1=recent[1], p0=previous[0],
            p1=previous[1], y0=year_before[0], y1=year_before[1],
        ))
        signals = {}
        for pid, tier, cur, prev, year in rows:
            sig = warning_rules.key_decline(tier, float(cur), prev and float(prev), year and float(year),
                                            policy['decline_pct'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_churn(self, company, policy, today):
        """Only customers silent for more than the minimum can be at risk: the
        others are left out of the query (the rule never fires below it)."""
        self.env['account.move'].flush_model(['company_id', 'state', 'move_type', 'invoice_date',
                                              'commercial_partner_id'])
        intervals = warning_rules.DEFAULTS['churn_intervals']
        rows = self.env.execute_query(SQL(
            """
            SELECT move.commercial_partner_id,
                   (ARRAY_AGG(DISTINCT move.invoice_date ORDER BY move.invoice_date DESC))[1:%(last)s]
              FROM account_move move
             WHERE move.company_id = %(company)s AND move.state = 'posted' AND move.move_type = 'out_invoice'
               AND move.invoice_date IS NOT NULL AND move.commercial_partner_id IS NOT NULL
          GROUP BY 1
            HAVING MAX(move.invoice_date) < %(since)s
            """,
            company=company.id, last=intervals + 1,
            since=fields.Date.subtract(today, days=policy['churn_min_days']),
        ))
        signals = {}
        for pid, dates in rows:
            sig = warning_rules.churn(dates, today, policy['churn_factor'], policy['churn_min_days'], intervals)
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_slow_payment(self, company, policy, today):
        """The payment delay as the customer's figures define it (settled
        receivable items of customer invoices, days from due date to last
        payment), over 3 and 12 months; the oldest overdue item as the
        collection matrix reads it."""
        rows = self.env.execute_query(SQL(
            """
            SELECT paid.partner_id,
                   AVG(GREATEST(paid.paid_on - paid.due, 0)) FILTER (WHERE paid.paid_on >= %(recent)s),
                   AVG(GREATEST(paid.paid_on - paid.due, 0))
              FROM (%(settled)s) paid
          GROUP BY paid.partner_id
            """,
            settled=self.env['res.partner']._custmgmt_settled_items_sql(company, fields.Date.subtract(today, months=12)),
            recent=fields.Date.subtract(today, months=3),
        ))
        delays = {pid: (recent and float(recent), year and float(year)) for pid, recent, year in rows}
        overdue = self.env['custmgmt.collection']._overdue_customers(company, today)
        signals = {}
        for pid in delays.keys() | overdue.keys():
            recent, year = delays.get(pid, (None, None))
            sig = warning_rules.slow_payment(recent, year, overdue.get(pid, (0.0, 0))[1], policy['delay_days'],
                                             policy['overdue_days'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_satisfaction(self, company, policy, today):
        Answer = self.env['survey.user_input']
        Answer.flush_model(['state', 'end_datetime', 'custmgmt_partner_id', 'custmgmt_company_id',
                            'custmgmt_satisfaction'])
        rows = self.env.execute_query(SQL(
            """
            SELECT custmgmt_partner_id,
                   (ARRAY_AGG(custmgmt_satisfaction ORDER BY end_datetime DESC NULLS LAST, id DESC))[1:2]
              FROM survey_user_input
             WHERE state = 'done' AND custmgmt_satisfaction > 0
               AND custmgmt_company_id = %(company)s AND custmgmt_partner_id IS NOT NULL
          GROUP BY custmgmt_partner_id
            """, company=company.id))
        signals = {}
        for pid, scores in rows:
            sig = warning_rules.satisfaction(float(scores[0]), float(scores[1]) if len(scores) > 1 else None,
                                             policy['satisfaction_low'], policy['satisfaction_drop'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_complaints(self, company, policy, today):
        self.env['custmgmt.complaint'].flush_model(['company_id', 'partner_id', 'date_received', 'kind', 'state'])
        self.env['res.partner'].flush_model(['commercial_partner_id', 'custmgmt_tier'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, %(tier)s, COUNT(*),
                   COUNT(*) FILTER (WHERE complaint.kind = 'quality')
              FROM custmgmt_complaint complaint
              JOIN res_partner customer ON customer.id = complaint.partner_id
              JOIN res_partner partner ON partner.id = customer.commercial_partner_id
             WHERE complaint.company_id = %(company)s AND complaint.state != 'cancelled'
               AND complaint.active AND complaint.date_received >= %(since)s
          GROUP BY 1, 2
            """,
            tier=self._tier_sql(company), company=company.id,
            since=fields.Datetime.to_datetime(fields.Date.subtract(today, days=policy['complaint_days'] - 1)),
        ))
        signals = {}
        for pid, tier, count, quality in rows:
            sig = warning_rules.complaint_surge(tier, count, quality, policy['complaint_count'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_tier_down(self, company, policy, today):
        last_run = company.custmgmt_tier_last_run_date
        if not last_run:
            return {}
        self.env['custmgmt.tier.history'].flush_model(['partner_id', 'company_id', 'date', 'old_tier', 'new_tier',
                                                       'reason'])
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (partner_id) partner_id, old_tier, new_tier, date, reason
              FROM custmgmt_tier_history
             WHERE company_id = %(company)s AND date >= %(since)s
          ORDER BY partner_id, date DESC, id DESC
            """, company=company.id, since=last_run))
        signals = {}
        for pid, old, new, day, reason in rows:
            sig = warning_rules.tier_down(old, new, day if reason == 'recompute' else None, last_run)
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_service_gap(self, company, policy, today):
        """The visit cadence's own due dates (``custmgmt.visit``)."""
        Visit = self.env['custmgmt.visit']
        service = company._custmgmt_service_policy()
        signals = {}
        for row in Visit._custmgmt_cadence_rows(company):
            due, _top_due = Visit._custmgmt_due_dates(row, service, today)
            sig = warning_rules.service_gap(row.tier, due, service['intervals'].get(row.tier), today)
            if sig:
                signals[row.partner_id] = sig
        return signals

    @api.model
    def _signals_stale_archive(self, company, policy, today):
        self.env['res.partner'].flush_model(['custmgmt_tier', 'custmgmt_archive_reviewed_on', 'active', 'parent_id'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id, %(tier)s, partner.custmgmt_archive_reviewed_on, partner.create_date::date
              FROM res_partner partner
             WHERE %(tier)s IN ('a', 'b') AND partner.active AND partner.parent_id IS NULL
               AND COALESCE(partner.custmgmt_archive_reviewed_on, partner.create_date::date) <= %(since)s
            """,
            # a few days of slack at month ends (31 Aug + 6 months is 28 Feb): the rule decides
            tier=self._tier_sql(company),
            since=fields.Date.add(warning_rules.add_months(today, -policy['stale_months']), days=3)))
        signals = {}
        for pid, tier, reviewed, created in rows:
            sig = warning_rules.stale_archive(tier, reviewed, created, today, policy['stale_months'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_decision_chain(self, company, policy, today):
        self.env['custmgmt.decision.member'].flush_model(['partner_id', 'company_id', 'active', 'decision_role',
                                                          'is_coach'])
        rows = self.env.execute_query(SQL(
            """
            SELECT member.partner_id, %(tier)s,
                   COUNT(*) FILTER (WHERE NOT member.active AND member.decision_role = 'leader'),
                   COUNT(*) FILTER (WHERE member.active AND member.decision_role = 'leader'),
                   COUNT(*) FILTER (WHERE NOT member.active AND member.is_coach),
                   COUNT(*) FILTER (WHERE member.active AND member.is_coach)
              FROM custmgmt_decision_member member
              JOIN res_partner partner ON partner.id = member.partner_id
             WHERE member.company_id = %(company)s AND %(tier)s IN ('a', 'b')
               AND (member.decision_role = 'leader' OR member.is_coach)
          GROUP BY 1, 2
            HAVING COUNT(*) FILTER (WHERE NOT member.active) > 0
            """, tier=self._tier_sql(company), company=company.id))
        signals = {}
        for pid, tier, *counts in rows:
            sig = warning_rules.decision_chain(tier, *counts)
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_credit(self, company, policy, today):
        """The credit exposure exactly as the customer's figures and the credit
        hold compute it (``res.partner._custmgmt_exposure_query``), against the
        limit as the hold reads it (``_custmgmt_limit_sql``)."""
        Partner = self.env['res.partner']
        limit, fallback = Partner._custmgmt_limit_sql(company, 'customer')
        Partner.flush_model(['credit_limit'])
        partner_filter = None
        if not fallback:  # only customers with a limit of their own have one
            partner_filter = SQL("SELECT id FROM res_partner WHERE (credit_limit ->> %s)::float8 > 0", str(company.id))
        rows = self.env.execute_query(SQL(
            """
            SELECT exposure.partner_id, exposure.open + exposure.draft + exposure.to_invoice, %(limit)s
              FROM (%(exposure)s) AS exposure(partner_id, company_id, open, overdue, oldest, draft, to_invoice)
              JOIN res_partner customer ON customer.id = exposure.partner_id
             WHERE %(limit)s > 0
            """,
            exposure=Partner._custmgmt_exposure_query(today, [company.id], partner_filter=partner_filter),
            limit=limit,
        ))
        signals = {}
        for pid, exposure, credit_limit in rows:
            sig = warning_rules.credit(float(exposure), float(credit_limit), policy['credit_pct'])
            if sig:
                signals[pid] = sig
        return signals

    # ------------------------------------------------------------
    # PLAN
    # ------------------------------------------------------------

    @api.model
    def _live_warnings(self, company):
        """``{kind: {partner_id: (warning_id, state)}}`` of the live warnings of ``company``."""
        Warning = self.env['custmgmt.warning']
        Warning.flush_model(['partner_id', 'company_id', 'kind', 'state', 'condition_cleared_on'])
        live = {}
        for wid, pid, kind, state in self.env.execute_query(SQL(
                "SELECT id, partner_id, kind, state FROM custmgmt_warning "
                "WHERE company_id = %s AND condition_cleared_on IS NULL", company.id)):
            live.setdefault(kind, {})[pid] = (wid, state)
        return live

    @api.model
    def _plan(self, company, today):
        """``(new, cleared)``: ``[(kind, partner_id, Signal)]`` to create and
        ``[(kind, warning_id, state)]`` whose condition cleared (a kind switched
        off clears its warnings)."""
        self.env.flush_all()  # the queries below read many models: all as written so far
        policy = company._custmgmt_warning_policy()
        live = self._live_warnings(company)
        new, cleared = [], []
        for kind in warning_rules.KINDS:
            signals = getattr(self, f'_signals_{kind}')(company, policy, today) if kind in policy['enabled'] else {}
            kind_new, kind_cleared = warning_rules.reconcile(signals, live.get(kind, {}))
            new += [(kind, pid, signals[pid]) for pid in kind_new]
            cleared += [(kind, wid, state) for wid, state in kind_cleared]
        return new, cleared

    @api.model
    def _routing(self, company, partner_ids):
        """``{partner_id: (tier, salesperson_id, leader_id)}`` (the leader as the
        visits read it: the active sales team of the salesperson)."""
        self.env['res.partner'].flush_model(['custmgmt_tier', 'user_id'])
        self.env['res.users'].flush_model(['sale_team_id'])
        self.env['crm.team'].flush_model(['user_id', 'active'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id, %(tier)s, partner.user_id, team.user_id
              FROM res_partner partner
         LEFT JOIN res_users salesperson ON salesperson.id = partner.user_id
         LEFT JOIN crm_team team ON team.id = salesperson.sale_team_id AND team.active
             WHERE partner.id = ANY(%(ids)s)
            """, tier=self._tier_sql(company), ids=list(partner_ids)))
        return {pid: (tier, user_id, leader_id) for pid, tier, user_id, leader_id in rows}

    # ------------------------------------------------------------
    # WRITE
    # ------------------------------------------------------------

    @api.model
    def _create_batch(self, company, rows, today, company_user_ids):
        """One batch of new warnings and the activities of the people told,
        each written with one INSERT (as ``custmgmt.tier.history._record_changes``
        writes the tier history): no message, no follower and no e-mail per
        warning or activity; the people told find them in their activities
        (the record rules let them open the warning). The caches are
        invalidated after."""
        routing = self._routing(company, {pid for _kind, pid, _sig in rows})
        collector = (company.custmgmt_collection_user_id or company.custmgmt_finance_manager_id).id
        told, values = [], []
        for kind, pid, sig in rows:
            # the company's users only (a salesperson who left it is an unset role: the fallback applies)
            tier, salesperson, leader = (value if index == 0 or value in company_user_ids else None
                                         for index, value in enumerate(routing.get(pid, (None, None, None))))
            users = warning_rules.recipients(kind, sig.severity, tier, salesperson, leader,
                                             collector if collector in company_user_ids else None)
            told.append(users)
            values.append((pid, kind, sig, tier, users[0] if users else None))
        Warning = self.env['custmgmt.warning']
        Warning.flush_model()
        inserted = {(pid, kind): wid for wid, pid, kind in self.env.execute_query(SQL(
            """
            INSERT INTO custmgmt_warning
                   (partner_id, commercial_partner_id, salesperson_id, company_id, customer_tier, kind, severity,
                    severity_rank, current_value, reference_value, threshold, detected_on, user_id, state,
                    create_uid, create_date, write_uid, write_date)
            SELECT v.partner_id, partner.commercial_partner_id, commercial.user_id, %(company)s, v.tier, v.kind,
                   v.severity, v.rank, v.cur, v.ref, v.thr, %(today)s, v.user_id, 'open',
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::int[], %(kinds)s::varchar[], %(severities)s::varchar[], %(ranks)s::int[],
                          %(curs)s::float8[], %(refs)s::float8[], %(thrs)s::float8[], %(tiers)s::varchar[],
                          %(users)s::int[])
                   AS v(partner_id, kind, severity, rank, cur, ref, thr, tier, user_id)
              JOIN res_partner partner ON partner.id = v.partner_id
              JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
         RETURNING id, partner_id, kind
            """,
            company=company.id, today=today, uid=self.env.uid,
            ids=[v[0] for v in values], kinds=[v[1] for v in values], severities=[v[2].severity for v in values],
            ranks=[warning_rules.severity_rank(v[2].severity) for v in values],
            curs=[v[2].current for v in values], refs=[v[2].reference for v in values],
            thrs=[v[2].threshold for v in values], tiers=[v[3] or None for v in values],
            users=[v[4] for v in values],
        ))}
        warning_ids = [inserted[pid, kind] for pid, kind, *_rest in values]
        user_ids = {uid for ids in told for uid in ids}
        if user_ids:
            users = self.env['res.users'].sudo().browse(user_ids)
            langs = {user.id: user.lang or 'en_US' for user in users}
            zones = {user.id: user.tz for user in users}
            texts = {}  # lang -> (kind labels, environment in that language)
            for lang in set(langs.values()):
                env = self.with_context(lang=lang).env
                texts[lang] = (dict(Warning._fields['kind']._description_selection(env)), env)
            partners = dict(self.env.execute_query(SQL(
                "SELECT id, name FROM res_partner WHERE id = ANY(%s)", [v[0] for v in values])))
            act = {key: [] for key in ('res_id', 'user_id', 'summary', 'note', 'res_name', 'tz')}
            for wid, (pid, kind, _sig, _tier, _user), uids in zip(warning_ids, values, told):
                for uid in uids:
                    labels, env = texts[langs[uid]]
                    act['res_id'].append(wid)
                    act['user_id'].append(uid)
                    # the kind only: activities are read by every internal user; the figures are behind the link
                    act['summary'].append(env._("Early warning: %(kind)s", kind=labels[kind]))
                    act['note'].append(str(Markup('<p><a href="/odoo/custmgmt.warning/%s">%s</a></p>') % (
                        wid, env._("Open the warning"))))
                    act['res_name'].append(f"{labels[kind]} – {partners.get(pid) or ''}")
                    act['tz'].append(zones[uid] or None)
            self.env['mail.activity'].flush_model()
            self.env.execute_query(SQL(
                """
                INSERT INTO mail_activity
                       (res_model_id, res_model, res_id, res_name, activity_type_id, user_id, user_tz, summary, note,
                        date_deadline, automated, active, create_uid, create_date, write_uid, write_date)
                SELECT %(model_id)s, 'custmgmt.warning', v.res_id, v.res_name, %(type)s, v.user_id, v.tz,
                       v.summary, v.note, %(today)s, TRUE, TRUE,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(res_ids)s::int[], %(user_ids)s::int[], %(summaries)s::varchar[], %(notes)s::text[],
                              %(names)s::varchar[], %(tzs)s::varchar[])
                       AS v(res_id, user_id, summary, note, res_name, tz)
                """,
                model_id=self.env['ir.model']._get_id('custmgmt.warning'), type=self.env.ref(ACTIVITY_TYPE).id,
                today=today, uid=self.env.uid, res_ids=act['res_id'], user_ids=act['user_id'],
                summaries=act['summary'], notes=act['note'], names=act['res_name'], tzs=act['tz'],
            ))
            users._bus_send("mail.activity/updated", {"activity_created": True})
        Warning.invalidate_model()
        self.env['mail.activity'].invalidate_model()
        return len(warning_ids)

    @api.model
    def _close_batch(self, rows, today):
        """Warnings whose condition cleared: the open and acknowledged ones are
        closed with a note, and the activities on them go (the warning says
        why; a "done" message per activity would only add noise); the resolved
        ones only learn that the condition cleared (a recurrence then makes a
        new one)."""
        Warning = self.env['custmgmt.warning'].sudo().with_context(tracking_disable=True, mail_notrack=True)
        open_ids = [wid for _kind, wid, state in rows if state in ('open', 'acknowledged')]
        other_ids = [wid for _kind, wid, state in rows if state not in ('open', 'acknowledged')]
        if open_ids:
            closing = Warning.browse(open_ids)
            closing.write({
                'state': 'closed', 'condition_cleared_on': today,
                'resolution_note': _("Closed by itself on %(date)s: the condition no longer holds.",
                                     date=fields.Date.to_string(today)),
            })
            closing.activity_ids.unlink()
        if other_ids:
            Warning.browse(other_ids).write({'condition_cleared_on': today})
        return len(rows)

    # ------------------------------------------------------------
    # RUN
    # ------------------------------------------------------------

    @api.model
    def _scan(self, company, today=None, auto_commit=False, max_seconds=None):
        """Scan ``company``: returns ``(done, remaining)``. One scan at a time
        (the scheduled action's row lock); with ``auto_commit`` (the cron
        worker) each batch is committed, and a call stopped by
        ``max_seconds`` is finished by the next one."""
        company.ensure_one()
        self.env['custmgmt.job.runner']._lock(CRON_WARNINGS)
        company, engine = company.sudo(), self.sudo()
        started = time.monotonic()
        today = today or fields.Date.context_today(company)
        new, cleared = engine._plan(company, today)
        company_user_ids = set(company._custmgmt_user_ids())
        batches = [('new', chunk) for chunk in split_every(WARNING_BATCH, new, list)]
        batches += [('cleared', chunk) for chunk in split_every(WARNING_BATCH, cleared, list)]
        del new, cleared
        done = 0
        for number, (what, chunk) in enumerate(batches, 1):
            if what == 'new':
                done += engine._create_batch(company, chunk, today, company_user_ids)
            else:
                done += engine._close_batch(chunk, today)
            if auto_commit:
                self.env.cr.commit()
                self.env.invalidate_all()  # keep the cache, and the memory, to one batch
            if max_seconds is not None and number < len(batches) and time.monotonic() - started >= max_seconds:
                return done, sum(len(chunk) for _what, chunk in batches[number:])
        if company.custmgmt_warn_last_run_date != today:
            company.custmgmt_warn_last_run_date = today
        if auto_commit:
            self.env.cr.commit()
        return done, 0

    @api.model
    def _scan_all(self, today=None):
        """Scan every company now, in this transaction (the Settings button)."""
        done = 0
        for company in self.env['res.company'].sudo().search([]):
            done += self._scan(company, today=today)[0]
        return done

    @api.model
    def _cron_scan(self):
        """Scheduled action: every company, in calls of about JOB_CALL_SECONDS;
        while work remains the cron framework calls again."""
        runner = self.env['custmgmt.job.runner']
        auto_commit = runner._cron_start(CRON_WARNINGS)
        if auto_commit is None:
            return
        started = time.monotonic()
        done = remaining = 0
        companies = self.env['res.company'].search([])
        for index, company in enumerate(companies):
            budget = max(JOB_CALL_SECONDS - (time.monotonic() - started), 1)
            company_done, remaining = self._scan(company, auto_commit=auto_commit, max_seconds=budget)
            done += company_done
            if remaining:
                remaining += len(companies) - index - 1
                break
        runner._cron_progress(CRON_WARNINGS, done, remaining)
