
from odoo import api, fields, models
from odoo.tools import SQL

from ..rules import tiers as tier_rules
from .custmgmt_job_runner import CRON_TIERS

TIER_WRITE_BATCH = 5000


class CustmgmtTierEngine(models.AbstractModel):
    """The A/B/C tier recompute (seed 001 §五) of one or more companies:
    the monthly averages fetched with one grouped query per company, the cut
    by ``rules.tiers``, the changed values written in batches. The policy is
    on the company (``res.company``); the history is written by
    ``custmgmt.tier.history._record_changes``."""
    _name = 'custmgmt.tier.engine'
    _description = "Customer Management: tier engine"

    # ------------------------------------------------------------
    # FETCH
    # ------------------------------------------------------------

    @api.model
    def _averages(self, company, months, today):
        """Monthly average sales of every commercial partner ever invoiced in
        ``company``: one grouped query over the posted customer invoices."""
        self.env['account.move'].flush_model(
            ['company_id', 'state', 'move_type', 'invoice_date', 'amount_untaxed_signed',
             'commercial_partner_id'])
        start, end = tier_rules.tier_window(today, months)
        rows = self.env.execute_query(SQL(
            """
            SELECT move.commercial_partner_id,
                   ROUND(COALESCE(SUM(move.amount_untaxed_signed)
                                  FILTER (WHERE move.invoice_date >= %(start)s
                                            AND move.invoice_date < %(end)s), 0) / %(months)s, 2)
              FROM account_move move
             WHERE move.company_id = %(company)s
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.commercial_partner_id IS NOT NULL
          GROUP BY move.commercial_partner_id
            """,
            start=start, end=end, months=months, company=company.id,
        ))
        return {partner_id: float(average) for partner_id, average in rows}

    @api.model
    def _stored(self, company, partner_ids):
        """Stored tier values of ``company``, for the partners computed now
        and every partner that holds a tier there: ``{partner_id: TierStored}``."""
        key = str(company.id)
        self.env['res.partner'].flush_model(['custmgmt_tier', 'custmgmt_tier_monthly_average', 'custmgmt_tier_locked'])
        self.env['custmgmt.tier.position'].flush_model()
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id,
                   partner.custmgmt_tier ->> %(key)s,
                   (partner.custmgmt_tier_monthly_average ->> %(key)s)::float8,
                   position.rank,
                   position.share_before::float8,
                   position.computed_on,
                   COALESCE((partner.custmgmt_tier_locked ->> %(key)s)::boolean, FALSE)
              FROM res_partner partner
         LEFT JOIN custmgmt_tier_position position
                ON position.partner_id = partner.id AND position.company_id = %(company)s
             WHERE partner.id = ANY(%(ids)s) OR partner.custmgmt_tier ? %(key)s
            """,
            key=key, company=company.id, ids=list(partner_ids),
        ))
        return {row[0]: tier_rules.TierStored(*row[1:]) for row in rows}

    @api.model
    def _updates(self, company, today):
        """Compute ``company``'s tiers and compare them with what is stored:
        ``(updates, count)``, the ``TierUpdate`` list and the number of
        partners tiered."""
        policy = company._custmgmt_tier_policy()
        months = policy.pop('months')
        averages = self._averages(company, months, today)
        results = tier_rules.classify(averages, **policy)
        stored = self._stored(company, averages)
        return tier_rules.updates(results, stored, today), len(results)

    # ------------------------------------------------------------
    # WRITE
    # ------------------------------------------------------------

    @api.model
    def _write_batch(self, company, batch, today):
        """Write one batch of updates: the partners whose tier or average
        changed (one UPDATE), the positions that changed (one upsert), then
        the history of the tiers that changed (one writer)."""
        key = str(company.id)
        partner_rows = [row for row in batch if row.partner_changed]
        if partner_rows:
            self.env.execute_query(SQL(
                """
                UPDATE res_partner partner
                   SET custmgmt_tier = COALESCE(partner.custmgmt_tier, '{}'::jsonb)
                                       || jsonb_build_object(%(key)s, v.tier),
                       custmgmt_tier_monthly_average = COALESCE(partner.custmgmt_tier_monthly_average, '{}'::jsonb)
                                       || jsonb_build_object(%(key)s, v.average)
                  FROM unnest(%(ids)s::int[], %(tiers)s::varchar[], %(avgs)s::float8[]) AS v(id, tier, average)
                 WHERE partner.id = v.id
                """,
                key=key, ids=[r.partner_id for r in partner_rows], tiers=[r.new_tier for r in partner_rows],
                avgs=[r.average for r in partner_rows],
            ))
        position_rows = [row for row in batch if row.position_changed]
        if position_rows:
            self.env.execute_query(SQL(
                """
                INSERT INTO custmgmt_tier_position AS position (partner_id, company_id, rank, share_before, computed_on)
                SELECT v.partner_id, %(company)s, v.rank, v.share, %(today)s
                  FROM unnest(%(ids)s::int[], %(ranks)s::int[], %(shares)s::float8[]) AS v(partner_id, rank, share)
                ON CONFLICT (partner_id, company_id)
                DO UPDATE SET rank = EXCLUDED.rank, share_before = EXCLUDED.share_before,
                              computed_on = EXCLUDED.computed_on
                """,
                company=company.id, today=today, ids=[r.partner_id for r in position_rows],
                ranks=[r.rank for r in position_rows], shares=[r.share_before for r in position_rows],
            ))
        self.env['res.partner'].invalidate_model(['custmgmt_tier', 'custmgmt_tier_monthly_average', 'custmgmt_tier_rank',
                                                  'custmgmt_tier_share_before', 'custmgmt_tier_computed_on'])
        for model in ('custmgmt.tier.position', 'custmgmt.tier.register'):
            self.env[model].invalidate_model()
        self.env['custmgmt.tier.history']._record_changes(company, batch, today, 'recompute')

    # ------------------------------------------------------------
    # RUN
    # ------------------------------------------------------------

    @api.model
    def _recompute(self, companies=None, today=None, auto_commit=False, max_seconds=None):
        """Recompute the tiers of ``companies`` (all when empty).

        Only rows whose values changed are written, in batches; with
        ``auto_commit`` each batch is committed, so that an interrupted run
        resumes where it stopped: the next call finds the committed batches
        unchanged and writes only the rest (``auto_commit`` is for the cron
        worker, which keeps the job's row locked across the commits). One run
        at a time: the run holds the row of the scheduled action, as the cron
        worker does (a UserError when another run holds it). Returns
        ``(done, remaining)``.
        """
        engine = self.sudo()
        return self.env['custmgmt.job.runner']._run_companies(
            CRON_TIERS, companies, engine._updates, engine._write_batch,
            lambda company, day, count: company._custmgmt_tier_mark_run(day, count), TIER_WRITE_BATCH,
            today=today, auto_commit=auto_commit, max_seconds=max_seconds)

    @api.model
    def _cron_recompute(self):
        """Scheduled action: every company, in calls of about JOB_CALL_SECONDS."""
        self.env['custmgmt.job.runner']._cron_call(CRON_TIERS, self._recompute)

    @api.model
    def _preview(self, company, policy, today=None):
        """Counts and sales share per tier of ``company`` under ``policy``, nothing written."""
        company._custmgmt_raise_policy_problems(policy)
        policy = dict(policy)
        months = policy.pop('months')
        averages = self._averages(company, months, today or fields.Date.context_today(company))
        return tier_rules.summarize(tier_rules.classify(averages, **policy))
