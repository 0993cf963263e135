import time

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, split_every

from ..rules import warnings as warning_rules

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
        Signals = self.env['custmgmt.warning.signals']
        new, cleared = [], []
        for kind in warning_rules.KINDS:
            signals = getattr(Signals, f'_signals_{kind}')(company, policy, today) if kind in policy['enabled'] else {}
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
            """, tier=self.env['custmgmt.warning.signals']._tier_sql(company), ids=list(partner_ids)))
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
        self.env['custmgmt.job.runner']._cron_each_company(CRON_WARNINGS, self._scan)
