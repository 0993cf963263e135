
from odoo import api, models
from odoo.tools import SQL

from ..rules import lifecycle as lifecycle_rules

# the scheduled action of the lifecycle job (its row lock: one run at a time)
CRON_LIFECYCLE = 'custmgmt_addon.ir_cron_lifecycle'
LIFECYCLE_WRITE_BATCH = 5000
# the partner's tier column (company-dependent JSONB), read once per company for the best recent tier
TIER_COLUMN = 'custmgmt_tier'


class CustmgmtLifecycleEngine(models.AbstractModel):
    """The lifecycle stages (seed 001 §一) of one or more companies: the
    invoice dates, quotations and open orders of every customer fetched with
    one grouped query per company, the stage by ``rules.lifecycle``, the
    changed values written in batches. The thresholds are on the company
    (``res.company``); the history is written by
    ``custmgmt.lifecycle.history._record_changes``."""
    _name = 'custmgmt.lifecycle.engine'
    _description = "Customer Management: lifecycle engine"

    # ------------------------------------------------------------
    # FETCH
    # ------------------------------------------------------------

    @api.model
    def _facts(self, company, today, lost_months):
        """What the invoices and orders of ``company`` say about each
        commercial partner: ``{partner_id: LifecycleFacts}``, one grouped query.

        Invoices: the first and last posted customer invoice (refunds do not
        count) dated up to ``today``. Orders (there is no CRM here: sale
        quotations stand for opportunities): any quotation or order not
        cancelled makes a prospect of a partner never invoiced; a confirmed
        order not fully invoiced (nothing or part invoiced) is "trading now".
        The best recent tier is the best of the current tier and the tiers
        in the tier history since the lost threshold."""
        self.env['account.move'].flush_model(
            ['company_id', 'state', 'move_type', 'invoice_date', 'commercial_partner_id'])
        self.env['sale.order'].flush_model(['company_id', 'state', 'invoice_status', 'partner_id'])
        self.env['res.partner'].flush_model(['commercial_partner_id', TIER_COLUMN])
        self.env['custmgmt.tier.history'].flush_model()
        rows = self.env.execute_query(SQL(
            """
            WITH invoiced AS (
                SELECT move.commercial_partner_id AS partner_id,
                       MIN(move.invoice_date) AS first_invoice,
                       MAX(move.invoice_date) AS last_invoice
                  FROM account_move move
                 WHERE move.company_id = %(company)s
                   AND move.state = 'posted'
                   AND move.move_type = 'out_invoice'
                   AND move.invoice_date <= %(today)s
                   AND move.commercial_partner_id IS NOT NULL
              GROUP BY move.commercial_partner_id
            ), ordered AS (
                SELECT customer.commercial_partner_id AS partner_id,
                       BOOL_OR(sale.state = 'sale' AND sale.invoice_status IN ('to invoice', 'no')) AS trading
                  FROM sale_order sale
                  JOIN res_partner customer ON customer.id = sale.partner_id
                 WHERE sale.company_id = %(company)s
                   AND sale.state IN ('draft', 'sent', 'sale')
              GROUP BY customer.commercial_partner_id
            ), tiered AS (
                SELECT history.partner_id, MIN(LEAST(history.old_tier, history.new_tier)) AS best
                  FROM custmgmt_tier_history history
                 WHERE history.company_id = %(company)s
                   AND history.date >= %(since)s
              GROUP BY history.partner_id
            )
            SELECT partner.id, invoiced.first_invoice, invoiced.last_invoice,
                   ordered.partner_id IS NOT NULL, COALESCE(ordered.trading, FALSE),
                   LEAST(partner.%(tier)s ->> %(key)s, tiered.best)
              FROM invoiced
         FULL JOIN ordered ON ordered.partner_id = invoiced.partner_id
              JOIN res_partner partner ON partner.id = COALESCE(invoiced.partner_id, ordered.partner_id)
         LEFT JOIN tiered ON tiered.partner_id = partner.id
            """,
            company=company.id, today=today, key=str(company.id), tier=SQL.identifier(TIER_COLUMN),
            since=lifecycle_rules.months_before(today, lost_months),
        ))
        return {row[0]: lifecycle_rules.LifecycleFacts(*row[1:]) for row in rows}

    @api.model
    def _stored(self, company, partner_ids):
        """Stored lifecycle values of ``company``, for the partners computed
        now and every partner that holds a stage, the flag or a lock there:
        ``{partner_id: LifecycleStored}``."""
        self.env['res.partner'].flush_model([
            'custmgmt_lifecycle_stage', 'custmgmt_trading_now', 'custmgmt_first_invoice_date',
            'custmgmt_last_invoice_date', 'custmgmt_peak_tier', 'custmgmt_lifecycle_locked'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id,
                   partner.custmgmt_lifecycle_stage ->> %(key)s,
                   COALESCE((partner.custmgmt_trading_now ->> %(key)s)::boolean, FALSE),
                   (partner.custmgmt_first_invoice_date ->> %(key)s)::date,
                   (partner.custmgmt_last_invoice_date ->> %(key)s)::date,
                   partner.custmgmt_peak_tier ->> %(key)s,
                   COALESCE((partner.custmgmt_lifecycle_locked ->> %(key)s)::boolean, FALSE)
              FROM res_partner partner
             WHERE partner.id = ANY(%(ids)s)
                OR partner.custmgmt_lifecycle_stage ->> %(key)s IS NOT NULL
                OR (partner.custmgmt_trading_now ->> %(key)s)::boolean
                OR (partner.custmgmt_lifecycle_locked ->> %(key)s)::boolean
            """,
            key=str(company.id), ids=list(partner_ids),
        ))
        return {row[0]: lifecycle_rules.LifecycleStored(*row[1:]) for row in rows}

    @api.model
    def _updates(self, company, today):
        """Compute ``company``'s stages and compare them with what is stored:
        ``(updates, count)``, the ``LifecycleUpdate`` list and the number of
        partners with a stage."""
        policy = company._custmgmt_lifecycle_policy()
        facts = self._facts(company, today, policy['lost_months'])
        stored = self._stored(company, facts)
        result = lifecycle_rules.updates(facts, stored, today, **policy)
        stages = {partner_id: old.stage for partner_id, old in stored.items()}
        stages.update((update.partner_id, update.new_stage) for update in result)
        return result, sum(1 for stage in stages.values() if stage)

    # ------------------------------------------------------------
    # WRITE
    # ------------------------------------------------------------

    @api.model
    def _write_batch(self, company, batch, today):
        """Write one batch of updates (one UPDATE), then the history of the
        stages that changed (one writer)."""
        self.env.execute_query(SQL(
            """
            UPDATE res_partner partner
               SET custmgmt_lifecycle_stage = COALESCE(partner.custmgmt_lifecycle_stage, '{}'::jsonb)
                                              || jsonb_build_object(%(key)s, v.stage),
                   custmgmt_trading_now = COALESCE(partner.custmgmt_trading_now, '{}'::jsonb)
                                          || jsonb_build_object(%(key)s, v.trading),
                   custmgmt_first_invoice_date = COALESCE(partner.custmgmt_first_invoice_date, '{}'::jsonb)
                                                 || jsonb_build_object(%(key)s, v.first_invoice),
                   custmgmt_last_invoice_date = COALESCE(partner.custmgmt_last_invoice_date, '{}'::jsonb)
                                                || jsonb_build_object(%(key)s, v.last_invoice),
                   custmgmt_peak_tier = COALESCE(partner.custmgmt_peak_tier, '{}'::jsonb)
                                        || jsonb_build_object(%(key)s, v.peak_tier)
              FROM unnest(%(ids)s::int[], %(stages)s::varchar[], %(trading)s::boolean[], %(firsts)s::date[],
                          %(lasts)s::date[], %(peaks)s::varchar[])
                   AS v(id, stage, trading, first_invoice, last_invoice, peak_tier)
             WHERE partner.id = v.id
            """,
            key=str(company.id), ids=[u.partner_id for u in batch], stages=[u.new_stage for u in batch],
            trading=[u.trading for u in batch], firsts=[u.first_invoice for u in batch],
            lasts=[u.last_invoice for u in batch], peaks=[u.peak_tier for u in batch],
        ))
        self.env['res.partner'].invalidate_model([
            'custmgmt_lifecycle_stage', 'custmgmt_trading_now', 'custmgmt_first_invoice_date',
            'custmgmt_last_invoice_date', 'custmgmt_peak_tier'])
        self.env['custmgmt.lifecycle.history']._record_changes(company, [
            lifecycle_rules.StageChange(u.partner_id, u.old_stage, u.new_stage, u.last_invoice) for u in batch
        ], today, 'recompute')

    # ------------------------------------------------------------
    # RUN
    # ------------------------------------------------------------

    @api.model
    def _run(self, companies=None, today=None, auto_commit=False, max_seconds=None):
        """Stage the customers of ``companies`` (all when empty).

        Only partners whose values changed are written, in batches; with
        ``auto_commit`` (the cron worker) each batch is committed, so that an
        interrupted run resumes where it stopped: the next call finds the
        committed batches unchanged and writes only the rest. One run at a
        time, by the scheduled action's row lock (a UserError when another
        run holds it). Returns ``(done, remaining)``.
        """
        engine = self.sudo()
        return self.env['custmgmt.job.runner']._run_companies(
            CRON_LIFECYCLE, companies, engine._updates, engine._write_batch,
            lambda company, day, count: company._custmgmt_lifecycle_mark_run(day, count), LIFECYCLE_WRITE_BATCH,
            today=today, auto_commit=auto_commit, max_seconds=max_seconds)

    @api.model
    def _cron_run(self):
        """Scheduled action: every company, in calls of about JOB_CALL_SECONDS."""
        self.env['custmgmt.job.runner']._cron_call(CRON_LIFECYCLE, self._run)
