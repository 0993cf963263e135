#!/usr/bin/env python3
"""Benchmark of the tier engine against a bare-SQL floor, in one run.

    python3 bench/bench_tiers.py [--customers 100000] [--invoices 1000000] [--keep]

Builds a throwaway database with the addon (from the test template when one is
there), bulk-inserts C customers and M posted customer invoices over the last 12
months into the real tables, then measures in the same run:

- floor: one bare SQL statement that computes the same monthly averages and
  Pareto cut as the engine and updates the changed rows of a scratch table;
- first: the engine's first run, through its scheduled action;
- steady: the engine's second run after 1 % of the invoices changed;
- peak RSS of the process that ran the engine.

The last line printed is the one to quote. Odoo 18 must be found as the scripts
find it (``odoo`` on PATH or ``ODOO_BIN``); this script re-runs itself with
Odoo's interpreter.
"""
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    addons_path,
    bench_parser,
    drop_database,
    ensure_odoo_interpreter,
    env_for,
    prepare_database,
    run_phase,
)

# ----------------------------------------------------------------------------
# inside Odoo's interpreter
# ----------------------------------------------------------------------------

def build_data(env, customers, invoices):
    """Customers and posted invoices with a Pareto-like skew, by bulk SQL."""
    cr = env.cr
    company = env.ref('base.main_company')
    journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    if not journal:
        env['account.chart.template'].try_loading('generic_coa', company=company, install_demo=False)
        journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, customer_rank, active, type, autopost_bills,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, TRUE, 1, TRUE, 'contact', 'ask',
               NOW(), NOW(), 1, 1
          FROM generate_series(1, %s) n
    """, [customers])
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name LIKE 'Bench customer %'")
    first_id = cr.fetchone()[0]
    # customer k (0-based) gets invoices with probability ~ 1/(k+1)^0.8 (Zipf-like), amounts skewed too
    cr.execute("""
        INSERT INTO account_move (name, journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                                  move_type, state, auto_post, date, invoice_date, amount_untaxed_signed,
                                  amount_untaxed, amount_total, amount_total_signed,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'BENCH/' || n, %(journal)s, %(company)s, %(currency)s, p, p,
               CASE WHEN n %% 20 = 0 THEN 'out_refund' ELSE 'out_invoice' END, 'posted', 'no', d, d,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * amount, amount, amount * 1.13,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * amount * 1.13,
               NOW(), NOW(), 1, 1
          FROM (
                SELECT n,
                       %(first)s + LEAST(%(customers)s - 1,
                                         FLOOR(%(customers)s * POWER(random(), 3))::int) AS p,
                       (CURRENT_DATE - (random() * 365)::int) AS d,
                       ROUND((100 + random() * 5000)::numeric, 2) AS amount
                  FROM generate_series(1, %(invoices)s) n
          ) src
    """, {'journal': journal.id, 'company': company.id, 'currency': company.currency_id.id,
          'first': first_id, 'customers': customers, 'invoices': invoices})
    cr.execute("ANALYZE account_move; ANALYZE res_partner")
    cr.commit()
    return company


FLOOR_SQL = """
WITH agg AS (
    SELECT commercial_partner_id AS pid,
           ROUND(COALESCE(SUM(amount_untaxed_signed) FILTER (
                 WHERE invoice_date >= %(start)s AND invoice_date < %(end)s), 0) / %(months)s, 2) AS avg
      FROM account_move
     WHERE company_id = %(company)s AND state = 'posted'
       AND move_type IN ('out_invoice', 'out_refund') AND commercial_partner_id IS NOT NULL
  GROUP BY commercial_partner_id
), ranked AS (
    SELECT pid, avg,
           RANK() OVER w AS rnk,
           -- cumulative sum up to and including the ties, minus the ties themselves
           SUM(GREATEST(avg, 0)) OVER (w RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
             - SUM(GREATEST(avg, 0)) OVER (PARTITION BY avg) AS before,
           SUM(GREATEST(avg, 0)) OVER () AS total
      FROM agg
    WINDOW w AS (ORDER BY avg DESC)
), cut AS (
    SELECT pid, avg, rnk,
           ROUND(CASE WHEN total > 0 THEN before * 100 / total ELSE 0 END, 2) AS share,
           CASE WHEN avg <= 0 THEN 'c'
                WHEN before < total * 0.80 THEN 'a'
                WHEN before < total * 0.95 THEN 'b'
                ELSE 'c' END AS tier
      FROM ranked
)
UPDATE bench_floor f
   SET tier = cut.tier, avg = cut.avg, rnk = cut.rnk, share = cut.share
  FROM cut
 WHERE f.pid = cut.pid
   AND (f.tier, f.avg, f.rnk, f.share) IS DISTINCT FROM (cut.tier, cut.avg, cut.rnk, cut.share)
"""


def run_floor(env, company):
    from odoo import fields

    from odoo.addons.custmgmt_addon.rules.tiers import tier_window
    start, end = tier_window(fields.Date.context_today(env['res.company']), 3)
    cr = env.cr
    t0 = time.perf_counter()
    cr.execute(FLOOR_SQL, {'start': start, 'end': end, 'months': 3, 'company': company.id})
    written = cr.rowcount
    cr.commit()
    return time.perf_counter() - t0, written


def phase_engine(args):
    """Child process: run the scheduled action once, print JSON with time and counts."""
    env, cr = env_for(args.db, args.addons_path)
    cron = env.ref('custmgmt_addon.ir_cron_recompute_tiers')
    t0 = time.perf_counter()
    cron.method_direct_trigger()
    cr.commit()
    elapsed = time.perf_counter() - t0
    key = str(env.ref('base.main_company').id)
    cr.execute("SELECT custmgmt_tier ->> %s, COUNT(*) FROM res_partner WHERE custmgmt_tier ? %s GROUP BY 1",
               [key, key])
    counts = dict(cr.fetchall())
    cr.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'seconds': elapsed, 'counts': counts, 'peak_rss_mb': peak}))


def run_engine(args):
    return run_phase(__file__, 'engine', args, "engine run")


def main():
    parser = bench_parser(__doc__, 'custmgmt_bench_tiers')
    parser.add_argument('--customers', type=int, default=100_000)
    parser.add_argument('--invoices', type=int, default=1_000_000)
    args = parser.parse_args()

    if args.phase == 'engine':
        return phase_engine(args)

    cmd, python = ensure_odoo_interpreter(__file__)
    args.addons_path = addons_path(python)
    prepare_database(args.db, cmd, args.addons_path)
    try:
        env, cr = env_for(args.db, args.addons_path)
        t0 = time.perf_counter()
        company = build_data(env, args.customers, args.invoices)
        print(f"built {args.customers} customers and {args.invoices} posted invoices "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        cr.execute("""CREATE UNLOGGED TABLE bench_floor AS
                      SELECT id AS pid, NULL::varchar AS tier, NULL::numeric AS avg, NULL::int AS rnk,
                             NULL::numeric AS share
                        FROM res_partner""")
        cr.execute("CREATE UNIQUE INDEX ON bench_floor (pid)")
        cr.commit()

        floor_first, floor_first_rows = run_floor(env, company)
        print(f"floor, first (every row written): {floor_first:.2f} s, {floor_first_rows} rows", flush=True)
        first = run_engine(args)
        print(f"engine, first run through the cron: {first['seconds']:.2f} s, tiers {first['counts']}", flush=True)

        cr.execute("SELECT tier, COUNT(*) FROM bench_floor WHERE tier IS NOT NULL GROUP BY 1")
        floor_counts = dict(cr.fetchall())
        if floor_counts != first['counts']:
            print(f"MISMATCH: floor tiers {floor_counts} != engine tiers {first['counts']}")
            return 1

        # 1 % of the invoices change
        cr.execute("UPDATE account_move SET amount_untaxed_signed = amount_untaxed_signed * 1.5 "
                   "WHERE name LIKE 'BENCH/%' AND MOD(id, 100) = 7")
        changed = cr.rowcount
        cr.commit()
        floor_steady, floor_steady_rows = run_floor(env, company)
        print(f"{changed} invoices changed; floor, steady (changed rows only): {floor_steady:.2f} s, "
              f"{floor_steady_rows} rows", flush=True)
        steady = run_engine(args)
        print(f"engine, second run: {steady['seconds']:.2f} s, tiers {steady['counts']}", flush=True)
        cr.execute("SELECT tier, COUNT(*) FROM bench_floor WHERE tier IS NOT NULL GROUP BY 1")
        if dict(cr.fetchall()) != steady['counts']:
            print("MISMATCH after the change")
            return 1
        cr.close()
    finally:
        if not args.keep:
            drop_database(args.db)

    floor = floor_steady
    peak = max(first['peak_rss_mb'], steady['peak_rss_mb'])
    print(f"floor taken as the steady bare-SQL recompute ({floor:.2f} s); "
          f"the first-state floor was {floor_first:.2f} s")
    print(f"tiers customers={args.customers} invoices={args.invoices} floor_s={floor:.2f} "
          f"first_s={first['seconds']:.2f} steady_s={steady['seconds']:.2f} "
          f"first_ratio={first['seconds'] / floor:.2f} steady_ratio={steady['seconds'] / floor:.2f} "
          f"peak_rss_mb={peak:.0f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
