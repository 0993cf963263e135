#!/usr/bin/env python3
"""Benchmark of the customer evaluation job against a bare-SQL floor, in one run.

    python3 bench/bench_evaluation.py [--customers 100000] [--invoices 1000000] [--keep]

Builds a throwaway database with the addon (from the test template when one is
there), bulk-inserts C customers (5 % A, 15 % B, the rest C, by their share of
the invoices), M posted customer invoices and refunds over the last 12 months
with their standard cost, and visits and complaints, into the real tables; then
measures in the same run:

- floor: bare SQL that computes the same measured figures (sales and standard
  cost of the period and the previous one, visits, complaints, disputes,
  opinion forms, payment delay, overdue at the period's end, the tiers'
  averages) for the customers in scope (A and B) and inserts one row per
  customer into a scratch table;
- first: the job's first run through its scheduled action (the drafts of the
  last complete quarter created, an activity each), in a child process;
- peak RSS (VmHWM) of that child process.

The last line printed is the one to quote. Odoo 18 must be found as the scripts
find it (``odoo`` on PATH or ``ODOO_BIN``); this script re-runs itself with
Odoo's interpreter.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    addons_path,
    bench_parser,
    drop_database,
    ensure_odoo_interpreter,
    env_for,
    peak_rss_mb,
    prepare_database,
    run_phase,
)

# ----------------------------------------------------------------------------
# inside Odoo's interpreter
# ----------------------------------------------------------------------------

def build_data(env, customers, invoices):
    """Customers, posted invoices (Zipf-like skew), visits and complaints, by bulk SQL."""
    cr = env.cr
    company = env.ref('base.main_company')
    journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    if not journal:
        env['account.chart.template'].try_loading('generic_coa', company=company, install_demo=False)
        journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, customer_rank, active, type, autopost_bills,
                                 user_id, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, TRUE, 1, TRUE, 'contact', 'ask', 2,
               NOW(), NOW(), 1, 1
          FROM generate_series(1, %s) n
    """, [customers])
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name LIKE 'Bench customer %'")
    first_id = cr.fetchone()[0]
    # the first customers buy most (as in bench_tiers.py): the first 5 % are A, the next 15 % B
    cr.execute("""
        UPDATE res_partner SET custmgmt_tier = jsonb_build_object(%(company)s::text,
               CASE WHEN id - %(first)s < %(customers)s * 0.05 THEN 'a'
                    WHEN id - %(first)s < %(customers)s * 0.20 THEN 'b' ELSE 'c' END)
         WHERE name LIKE 'Bench customer %%'
    """, {'company': company.id, 'first': first_id, 'customers': customers})
    cr.execute("""
        INSERT INTO account_move (name, journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                                  move_type, state, auto_post, date, invoice_date, amount_untaxed_signed,
                                  amount_untaxed, amount_total, amount_total_signed, custmgmt_cost_signed,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'BENCH/' || n, %(journal)s, %(company)s, %(currency)s, p, p,
               CASE WHEN n %% 20 = 0 THEN 'out_refund' ELSE 'out_invoice' END, 'posted', 'no', d, d,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * amount, amount, amount * 1.13,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * amount * 1.13,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * ROUND(amount * (0.5 + random() * 0.4)::numeric, 2),
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
    # a visit done for one invoice in ten, a complaint for one in a hundred
    cr.execute("""
        INSERT INTO custmgmt_visit (partner_id, company_id, user_id, kind, state, date,
                                    create_date, write_date, create_uid, write_uid)
        SELECT partner_id, company_id, 2, 'routine', 'done', invoice_date, NOW(), NOW(), 1, 1
          FROM account_move WHERE name LIKE 'BENCH/%' AND id % 10 = 0
    """)
    cr.execute("""
        INSERT INTO custmgmt_complaint (partner_id, company_id, name, subject, state, date_received,
                                        create_date, write_date, create_uid, write_uid)
        SELECT partner_id, company_id, 'BENCH-C/' || id, 'Late', 'new', invoice_date + TIME '10:00',
               NOW(), NOW(), 1, 1
          FROM account_move WHERE name LIKE 'BENCH/%' AND id % 100 = 3
    """)
    cr.execute("ANALYZE account_move; ANALYZE res_partner; ANALYZE custmgmt_visit; ANALYZE custmgmt_complaint")
    cr.commit()
    return company


FLOOR_SQL = """
CREATE UNLOGGED TABLE bench_floor AS
WITH moves AS (
    SELECT commercial_partner_id AS pid,
           COALESCE(SUM(amount_untaxed_signed) FILTER (WHERE invoice_date >= %(start)s), 0) AS sales,
           COALESCE(SUM(amount_untaxed_signed) FILTER (WHERE invoice_date < %(start)s), 0) AS prev,
           COALESCE(SUM(custmgmt_cost_signed) FILTER (WHERE invoice_date >= %(start)s), 0) AS cost
      FROM account_move
     WHERE company_id = %(company)s AND state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
       AND invoice_date >= %(prev_start)s AND invoice_date < %(end)s AND commercial_partner_id IS NOT NULL
  GROUP BY 1
), visits AS (
    SELECT p.commercial_partner_id AS pid, COUNT(*) AS n FROM custmgmt_visit v
      JOIN res_partner p ON p.id = v.partner_id
     WHERE v.company_id = %(company)s AND v.state = 'done' AND v.date >= %(start)s AND v.date < %(end)s
  GROUP BY 1
), complaints AS (
    SELECT p.commercial_partner_id AS pid, COUNT(*) AS n FROM custmgmt_complaint c
      JOIN res_partner p ON p.id = c.partner_id
     WHERE c.company_id = %(company)s AND c.state != 'cancelled'
       AND c.date_received >= %(start)s AND c.date_received < %(end)s
  GROUP BY 1
), disputes AS (
    SELECT p.commercial_partner_id AS pid, COUNT(*) AS n FROM custmgmt_dispute d
      JOIN res_partner p ON p.id = d.partner_id
     WHERE d.company_id = %(company)s AND d.state != 'cancelled'
       AND d.create_date >= %(start)s AND d.create_date < %(end)s
  GROUP BY 1
), surveys AS (
    SELECT custmgmt_partner_id AS pid, COUNT(*) AS n, AVG(custmgmt_satisfaction) AS avg FROM survey_user_input
     WHERE state = 'done' AND custmgmt_satisfaction > 0 AND custmgmt_company_id = %(company)s
       AND end_datetime >= %(start)s AND end_datetime < %(end)s
  GROUP BY 1
), delays AS (
    SELECT paid.pid, AVG(GREATEST(paid.paid_on - paid.due, 0)) AS delay
      FROM (SELECT p.commercial_partner_id AS pid, COALESCE(l.date_maturity, l.date) AS due,
                   MAX(r.max_date) AS paid_on
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN account_move m ON m.id = l.move_id
              JOIN res_partner p ON p.id = l.partner_id
              JOIN account_partial_reconcile r ON r.debit_move_id = l.id
             WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted' AND l.reconciled
               AND m.move_type = 'out_invoice' AND l.company_id = %(company)s
          GROUP BY l.id, p.commercial_partner_id) paid
     WHERE paid.paid_on >= %(start)s AND paid.paid_on < %(end)s
  GROUP BY 1
), overdue AS (
    SELECT p.commercial_partner_id AS pid, SUM(l.amount_residual) AS amount
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      JOIN res_partner p ON p.id = l.partner_id
     WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted' AND l.reconciled IS NOT TRUE
       AND l.amount_residual > 0 AND COALESCE(l.date_maturity, l.date) < %(end)s AND l.company_id = %(company)s
  GROUP BY 1
), figures AS (
    SELECT p.id AS pid, p.custmgmt_tier ->> %(key)s AS tier,
           COALESCE(m.sales, 0) AS sales, COALESCE(m.prev, 0) AS prev, COALESCE(m.cost, 0) AS cost,
           COALESCE(v.n, 0) AS visits, COALESCE(c.n, 0) AS complaints, COALESCE(d.n, 0) AS disputes,
           COALESCE(s.n, 0) AS surveys, COALESCE(s.avg, 0) AS survey_avg, COALESCE(dl.delay, 0) AS delay,
           COALESCE(o.amount, 0) AS overdue,
           COALESCE(m.sales, 0) - COALESCE(m.cost, 0) - COALESCE(v.n, 0) * %(visit_cost)s
               - COALESCE(c.n, 0) * %(complaint_cost)s AS net
      FROM res_partner p
 LEFT JOIN moves m ON m.pid = p.id
 LEFT JOIN visits v ON v.pid = p.id
 LEFT JOIN complaints c ON c.pid = p.id
 LEFT JOIN disputes d ON d.pid = p.id
 LEFT JOIN surveys s ON s.pid = p.id
 LEFT JOIN delays dl ON dl.pid = p.id
 LEFT JOIN overdue o ON o.pid = p.id
     WHERE p.parent_id IS NULL AND p.active AND p.custmgmt_tier ->> %(key)s IN ('a', 'b')
)
SELECT f.*, AVG(f.sales) OVER (PARTITION BY f.tier) AS tier_avg_sales,
       CASE WHEN SUM(f.sales) OVER (PARTITION BY f.tier) > 0
            THEN SUM(f.net) OVER (PARTITION BY f.tier) / SUM(f.sales) OVER (PARTITION BY f.tier) ELSE 0 END
           AS tier_profit_rate,
       (SELECT SUM(sales) FROM moves) AS company_sales, (SELECT SUM(prev) FROM moves) AS company_prev
  FROM figures f
"""


def run_floor(env, company):
    from odoo import fields

    from odoo.addons.custmgmt_addon.rules import evaluation as eval_rules
    today = fields.Date.context_today(env['res.company'])
    start, end, _key = eval_rules.evaluated_period(today, 'quarter')
    prev_start = eval_rules.previous_period(start, 'quarter')[0]
    cr = env.cr
    t0 = time.perf_counter()
    cr.execute(FLOOR_SQL, {'start': start, 'end': end, 'prev_start': prev_start, 'company': company.id,
                           'key': str(company.id), 'visit_cost': 0.0, 'complaint_cost': 0.0})
    cr.commit()
    elapsed = time.perf_counter() - t0
    cr.execute("SELECT COUNT(*), ROUND(SUM(sales), 2) FROM bench_floor")
    return elapsed, cr.fetchone()


def phase_engine(args):
    """Child process: run the scheduled action once, print JSON with time and counts."""
    env, cr = env_for(args.db, args.addons_path)
    cron = env.ref('custmgmt_addon.ir_cron_evaluation')
    t0 = time.perf_counter()
    cron.method_direct_trigger()
    cr.commit()
    elapsed = time.perf_counter() - t0
    cr.execute("SELECT COUNT(*), ROUND(SUM(sales_amount), 2) FROM custmgmt_evaluation")
    count, sales = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM mail_activity WHERE res_model = 'custmgmt.evaluation'")
    activities = cr.fetchone()[0]
    cr.close()
    print(json.dumps({'seconds': elapsed, 'count': count, 'sales': float(sales or 0),
                      'activities': activities, 'peak_rss_mb': peak_rss_mb()}))


def run_engine(args):
    return run_phase(__file__, 'engine', args, "evaluation run")


def main():
    parser = bench_parser(__doc__, 'custmgmt_bench_evaluation')
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
        print(f"built {args.customers} customers, {args.invoices} posted invoices, visits and complaints "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        floor, (floor_count, floor_sales) = run_floor(env, company)
        print(f"floor (bare SQL, the measured figures of {floor_count} customers in scope, one row each "
              f"written): {floor:.2f} s", flush=True)
        first = run_engine(args)
        print(f"job, first run through the cron: {first['seconds']:.2f} s, {first['count']} evaluations, "
              f"{first['activities']} activities", flush=True)
        if (first['count'], round(first['sales'], 2)) != (floor_count, float(floor_sales or 0)):
            print(f"MISMATCH: floor {floor_count} customers, sales {floor_sales}; "
                  f"job {first['count']} evaluations, sales {first['sales']}")
            return 1
        cr.close()
    finally:
        if not args.keep:
            drop_database(args.db)

    print(f"evaluation customers={args.customers} invoices={args.invoices} floor_s={floor:.2f} "
          f"first_s={first['seconds']:.2f} first_ratio={first['seconds'] / floor:.2f} "
          f"peak_rss_mb={first['peak_rss_mb']:.0f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
