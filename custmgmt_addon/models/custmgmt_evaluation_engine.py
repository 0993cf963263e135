import json
import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, split_every

from ..rules import evaluation as eval_rules
from .custmgmt_evaluation import MEASURED_FIELDS as MEASURED

CRON_EVALUATION = 'custmgmt_addon.ir_cron_evaluation'
EVALUATION_BATCH = 2000
# the derived fields recomputed by the ORM after the job writes the measured ones
DERIVED_FIELDS = ('capability_score', 'cooperation_judged_score', 'cooperation_score', 'adaptability_score',
                  'satisfaction_score', 'judged_complete', 'total', 'grade', 'total_change', 'grade_fell',
                  'previous_total', 'previous_grade')


def _pct(rate):
    return round(rate * 100.0, 1) if rate is not None else 0.0


def _same(stored, value):
    """Whether a stored measured value (from SQL or the ORM) equals a computed one."""
    if hasattr(stored, 'id') and not isinstance(stored, (int, float)):  # a record
        stored = stored.id
    if isinstance(value, bool) or isinstance(stored, bool) or stored is None:
        return (stored or False) == (value or False)
    try:
        return abs(float(stored) - float(value)) < 0.005
    except (TypeError, ValueError):
        return stored == value


class CustmgmtEvaluationEngine(models.AbstractModel):
    """The customer evaluation job (客户评估) of each company: the measured
    figures of every customer in scope fetched with grouped queries (sales,
    standard cost, visits, complaints, disputes, opinion forms, payment delay,
    overdue), the scores by ``rules.evaluation``, the missing evaluations of
    the period created and the open ones refreshed in batches, each new one
    with an activity for the customer's salesperson. The policy is on the
    company (``res.company``, ``_custmgmt_eval_policy``)."""
    _name = 'custmgmt.evaluation.engine'
    _description = "Customer Management: evaluation job"

    # ------------------------------------------------------------
    # FETCH
    # ------------------------------------------------------------

    @api.model
    def _tiered(self, company, tiers):
        """``{partner_id: (tier, salesperson_id)}`` of the customers of
        ``tiers`` in ``company`` (active companies and individuals without a parent)."""
        self.env['res.partner'].flush_model(['custmgmt_tier', 'parent_id', 'active', 'user_id'])
        key = str(company.id)
        rows = self.env.execute_query(SQL(
            """
            SELECT id, custmgmt_tier ->> %(key)s, user_id FROM res_partner
             WHERE parent_id IS NULL AND active AND custmgmt_tier ->> %(key)s = ANY(%(tiers)s)
            """, key=key, tiers=list(tiers)))
        return {pid: (tier, user_id) for pid, tier, user_id in rows}

    @api.model
    def _open(self, company, period):
        """``({partner_id: (evaluation_id, tier, {measured field: value})}, {partner_id})``:
        the non-approved evaluations of ``period`` in ``company``, and the
        customers that have one in any state."""
        Evaluation = self.env['custmgmt.evaluation']
        Evaluation.flush_model()
        columns = SQL(', ').join(SQL.identifier(fname) for fname in MEASURED)
        rows = self.env.execute_query(SQL(
            "SELECT partner_id, id, state, customer_tier, %s FROM custmgmt_evaluation "
            "WHERE company_id = %s AND period = %s", columns, company.id, period))
        open_rows, existing = {}, set()
        for partner_id, evaluation_id, state, tier, *measured in rows:
            existing.add(partner_id)
            if state != 'approved':
                open_rows[partner_id] = (evaluation_id, tier, dict(zip(MEASURED, measured)))
        return open_rows, existing

    @api.model
    def _previous(self, company, start, partner_ids):
        """``{partner_id: (evaluation_id, total, grade)}``: the latest evaluation
        of each customer before ``start``."""
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (partner_id) partner_id, id, total, grade FROM custmgmt_evaluation
             WHERE company_id = %s AND date_to < %s AND partner_id = ANY(%s)
          ORDER BY partner_id, date_to DESC, id DESC
            """, company.id, start, list(partner_ids)))
        return {pid: (eid, float(total or 0.0), grade) for pid, eid, total, grade in rows}

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.model
    def _measure(self, company, policy, start, end, partner_tiers, population=None):
        """``{partner_id: {measured field: value}}`` of the customers of
        ``partner_tiers`` (``{partner_id: tier}``), against the averages of
        their tiers (every customer of the tier in the company counts;
        ``population``, ``{partner_id: (tier, salesperson_id)}``, when the
        caller has them already)."""
        prev_start = eval_rules.previous_period(start, policy['period'])[0]
        figures, company_sales, company_prev = self.env['custmgmt.evaluation.figures']._figures(
            company, start, end, prev_start)
        tiers = set(partner_tiers.values()) - {None, False}
        if population is None or not tiers <= {tier for tier, _user in population.values()}:
            population = self._tiered(company, tiers)
        empty = eval_rules.Figures()
        visit_cost, complaint_cost = policy['visit_cost'], policy['complaint_cost']
        averages = eval_rules.tier_averages(
            (tier, f.sales, eval_rules.net_profit(f.sales, f.cost, eval_rules.cost_to_serve(
                f.visits, f.complaints, visit_cost, complaint_cost)))
            for pid, (tier, _user) in population.items() for f in (figures.get(pid, empty),))
        company_growth = _pct(eval_rules.growth_rate(company_sales, company_prev))
        result = {}
        for pid, tier in partner_tiers.items():
            f = figures.get(pid, empty)
            average = averages.get(tier)
            m = eval_rules.measure(f, average, company_sales, company_prev, visit_cost, complaint_cost)
            result[pid] = {
                'sales_amount': round(f.sales, 2), 'prev_sales_amount': round(f.prev_sales, 2),
                'tier_avg_sales': round(average.sales, 2) if average else 0.0, 'cost_amount': round(f.cost, 2),
                'visit_count': f.visits, 'complaint_count': f.complaints, 'dispute_count': f.disputes,
                'cost_to_serve': round(m.cost_to_serve, 2), 'net_profit': round(m.net_profit, 2),
                'profit_rate': _pct(m.profit_rate), 'tier_profit_rate': _pct(average.profit_rate) if average else 0.0,
                'growth_rate': _pct(m.growth_rate), 'company_sales': round(company_sales, 2),
                'company_prev_sales': round(company_prev, 2), 'company_growth_rate': company_growth,
                'payment_delay': round(f.payment_delay, 1), 'overdue_amount': round(f.overdue, 2),
                'survey_count': f.survey_count, 'survey_avg': round(f.survey_avg, 2),
                'sales_score': round(m.sales, 1), 'profit_score': round(m.profit or 0.0, 1),
                'profit_scored': m.profit is not None, 'growth_score': round(m.growth or 0.0, 1),
                'growth_scored': m.growth is not None, 'cooperation_measured_score': round(m.cooperation, 1),
                'satisfaction_measured_score': round(m.satisfaction_base, 1),
            }
        return result

    # ------------------------------------------------------------
    # WRITE
    # ------------------------------------------------------------

    @api.model
    def _create_batch(self, company, policy, period, rows, today):
        """Insert one batch of draft evaluations with their scores, total and
        grade (one INSERT; a second run inserts nothing: the key is unique),
        and give each salesperson an activity (one INSERT)."""
        start, end, key = period
        now = fields.Datetime.now()
        records = []
        for pid, tier, user_id, measured, previous in rows:
            scores = eval_rules.scores(
                measured['sales_score'], measured['profit_score'] if measured['profit_scored'] else None,
                measured['growth_score'] if measured['growth_scored'] else None,
                measured['cooperation_measured_score'], measured['satisfaction_measured_score'])
            _prev_id, prev_total, prev_grade = previous or (None, None, None)
            total, grade, change, fell = eval_rules.summary(scores, policy['weights'], policy['thresholds'],
                                                            prev_total, prev_grade)
            records.append(dict(
                measured, partner_id=pid, commercial_partner_id=pid, salesperson_id=user_id, customer_tier=tier,
                company_id=company.id, period=key, period_kind=policy['period'], date_from=str(start),
                date_to=str(end - timedelta(days=1)), state='draft', satisfaction_adjustment=0,
                capability_score=0.0, adaptability_score=0.0, cooperation_judged_score=0.0,
                cooperation_score=round(scores['cooperation'], 1),
                satisfaction_score=round(scores['satisfaction'], 1),
                judged_complete=False, total=round(total or 0.0, 1), grade=grade, total_change=round(change, 1),
                grade_fell=fell, previous_evaluation_id=previous and previous[0] or None,
                previous_total=prev_total, previous_grade=prev_grade,
                create_uid=self.env.uid, write_uid=self.env.uid, create_date=str(now), write_date=str(now)))
        columns = SQL(', ').join(SQL.identifier(column) for column in records[0])
        inserted = self.env.execute_query(SQL(
            """
            INSERT INTO custmgmt_evaluation (%(columns)s)
            SELECT %(columns)s FROM jsonb_populate_recordset(NULL::custmgmt_evaluation, %(rows)s::jsonb)
                ON CONFLICT (partner_id, company_id, period) DO NOTHING
         RETURNING id, salesperson_id
            """, columns=columns, rows=json.dumps(records)))
        self.env['custmgmt.evaluation'].invalidate_model()
        self._schedule_activities([(eid, user_id) for eid, user_id in inserted if user_id], today,
                                  policy['activity_days'])
        return len(inserted)

    @api.model
    def _recompute_derived(self, evaluations):
        Evaluation = self.env['custmgmt.evaluation']
        Evaluation.invalidate_model()
        for fname in DERIVED_FIELDS:
            self.env.add_to_compute(Evaluation._fields[fname], evaluations)
        Evaluation.flush_model()

    @api.model
    def _schedule_activities(self, rows, today, days):
        """One activity "fill in the evaluation" per new evaluation for the
        customer's salesperson, inserted at once (the users' activity
        counters are told once per user)."""
        if not rows:
            return
        activity_type = self.env.ref('custmgmt_addon.mail_activity_type_evaluation')
        self.env['mail.activity'].flush_model()
        self.env.execute_query(SQL(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, user_id,
                                       summary, date_deadline, automated, active,
                                       create_uid, write_uid, create_date, write_date)
            SELECT %(model_id)s, 'custmgmt.evaluation', evaluation.id,
                   COALESCE(partner.complete_name, partner.name) || ' – ' || evaluation.period, %(type)s,
                   v.user_id, %(summary)s, %(deadline)s, TRUE, TRUE, %(uid)s, %(uid)s, %(now)s, %(now)s
              FROM unnest(%(ids)s::int[], %(users)s::int[]) AS v(res_id, user_id)
              JOIN custmgmt_evaluation evaluation ON evaluation.id = v.res_id
              JOIN res_partner partner ON partner.id = evaluation.partner_id
            """,
            model_id=self.env['ir.model']._get_id('custmgmt.evaluation'), type=activity_type.id,
            summary=_("Fill in the customer evaluation"), deadline=today + timedelta(days=days),
            uid=self.env.uid, now=fields.Datetime.now(), ids=[eid for eid, _u in rows], users=[u for _e, u in rows]))
        self.env['mail.activity'].invalidate_model()
        self.env['custmgmt.evaluation'].invalidate_model(['activity_ids'])
        for user in self.env['res.users'].browse({u for _e, u in rows}):
            user._bus_send('mail.activity/updated', {'activity_created': True})

    @api.model
    def _update_batch(self, rows):
        """Write the changed measured figures of one batch of open
        evaluations (one UPDATE per field), then let the ORM recompute their
        totals."""
        for fname in MEASURED:
            changed = [(eid, vals[fname]) for eid, vals in rows if fname in vals]
            if not changed:
                continue
            field = self.env['custmgmt.evaluation']._fields[fname]
            cast = {'integer': 'int', 'many2one': 'int', 'boolean': 'bool'}.get(field.type, 'numeric')
            if field.type == 'many2one':
                changed = [(eid, value or None) for eid, value in changed]
            self.env.execute_query(SQL(
                "UPDATE custmgmt_evaluation e SET %s = v.value, write_date = %s, write_uid = %s "
                "FROM unnest(%s::int[], %s::%s[]) AS v(id, value) WHERE e.id = v.id",
                SQL.identifier(fname), fields.Datetime.now(), self.env.uid, [eid for eid, _v in changed],
                [value for _eid, value in changed], SQL(cast)))
        self._recompute_derived(self.env['custmgmt.evaluation'].browse([eid for eid, _vals in rows]))

    # ------------------------------------------------------------
    # RUN
    # ------------------------------------------------------------

    @api.model
    def _run(self, company, today=None, auto_commit=False, max_seconds=None):
        """Evaluate ``company``'s customers in scope for the last complete period.

        Creates the missing draft evaluations (customers that entered the
        scope since the last run included) and refreshes the measured figures
        of the open ones, in batches committed with ``auto_commit``.
        Idempotent: one evaluation per customer, company and period (a unique
        key), changed figures only written, so a second run writes nothing
        and an interrupted run (``max_seconds`` spent) is finished by the next
        call. Returns ``(done, remaining)``."""
        company.ensure_one()
        self.env['custmgmt.job.runner']._lock(CRON_EVALUATION)
        company, engine = company.sudo(), self.sudo()
        started = time.monotonic()
        today = today or fields.Date.context_today(company)
        policy = company._custmgmt_eval_policy()
        start, end, key = eval_rules.evaluated_period(today, policy['period'])
        open_rows, existing = engine._open(company, key)
        scope = engine._tiered(company, policy['tiers'])
        new = {pid: scope[pid] for pid in sorted(scope) if pid not in existing}
        partner_tiers = {pid: tier for pid, (tier, _user) in new.items()}
        partner_tiers.update({pid: tier for pid, (_eid, tier, _vals) in open_rows.items()})
        measured = engine._measure(company, policy, start, end, partner_tiers, population=scope)
        previous = engine._previous(company, start, partner_tiers)
        for pid, vals in measured.items():
            vals['previous_evaluation_id'] = previous[pid][0] if pid in previous else False
        updates = []
        for pid, (eid, _tier, stored) in open_rows.items():
            changed = {f: v for f, v in measured[pid].items() if not _same(stored[f], v)}
            if changed:
                updates.append((eid, changed))
        creations = [(pid, tier, user_id, measured[pid], previous.get(pid))
                     for pid, (tier, user_id) in new.items()]
        del measured, open_rows
        batches = [('create', chunk) for chunk in split_every(EVALUATION_BATCH, creations, list)]
        batches += [('update', chunk) for chunk in split_every(EVALUATION_BATCH, updates, list)]
        done = 0
        for number, (kind, chunk) in enumerate(batches, 1):
            if kind == 'create':
                done += engine._create_batch(company, policy, (start, end, key), chunk, today)
            else:
                engine._update_batch(chunk)
                done += len(chunk)
            if auto_commit:
                self.env.cr.commit()
                self.env.invalidate_all()
            if max_seconds is not None and number < len(batches) and time.monotonic() - started >= max_seconds:
                return done, sum(len(c) for _k, c in batches[number:])
        return done, 0

    @api.model
    def _run_now(self, company, today=None):
        """Run the job for ``company`` now, in this transaction (Settings' button)."""
        return self._run(company, today=today)[0]

    @api.model
    def _refresh(self, evaluations):
        """Measure the figures of ``evaluations`` (not approved) again, as the job does."""
        engine = self.sudo()
        for (company, period_kind, date_from), group in evaluations.sudo().grouped(
                lambda e: (e.company_id, e.period_kind, e.date_from)).items():
            _start, end, _key = eval_rules.period_of(date_from, period_kind)
            policy = dict(company._custmgmt_eval_policy(), period=period_kind)
            measured = engine._measure(company, policy, date_from, end,
                                       {e.partner_id.id: e.customer_tier for e in group})
            previous = engine._previous(company, date_from, group.partner_id.ids)
            rows = []
            for evaluation in group:
                vals = measured[evaluation.partner_id.id]
                vals['previous_evaluation_id'] = previous.get(evaluation.partner_id.id, (False,))[0]
                changed = {f: v for f, v in vals.items() if not _same(evaluation[f], v)}
                if changed:
                    rows.append((evaluation.id, changed))
            if rows:
                engine._update_batch(rows)

    @api.model
    def _cron_run(self):
        """Scheduled action: every company, in calls of about JOB_CALL_SECONDS;
        while work remains the cron framework calls again."""
        self.env['custmgmt.job.runner']._cron_each_company(CRON_EVALUATION, self._run)
