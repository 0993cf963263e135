#!/usr/bin/env python3
"""Benchmark of the early-warning scan against a bare-SQL floor, in one run.

    python3 bench/bench_warnings.py [--customers 100000] [--invoices 1000000] [--keep]

Builds a throwaway database with the addon, bulk-inserts into the real tables
C customers (tiered A/B/C, a salesperson each, credit limits on a third) and M
posted customer invoices over the last 24 months with a realistic payment
history: a receivable item each, due 30 days after the invoice, paid
(reconciled, with its partial reconcile dated the day it was paid) with a
per-customer habit of paying on time or late, the latest ones still open;
plus complaints, opinion answers, tier changes, visits and decision-chain
members for the other kinds. Then measures, in the same run:

- floor: bare SQL statements computing the same ten conditions (the same
  windows and thresholds, medians with ``percentile_cont``), one per kind,
  counting the customers where each holds — no ORM, no Python rule, no write;
- first: the scan's first run through its scheduled action (every warning and
  activity created);
- steady: its second run after 1 % of the invoices changed (paid late, or paid
  after being open), creating and closing what changed;
- peak RSS of the process that ran the scan.

The counts of the floor must equal the warnings the scan made, per kind. The
last line printed is the one to quote.
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

KINDS = ('key_decline', 'churn', 'slow_payment', 'satisfaction', 'complaints',
         'tier_down', 'service_gap', 'stale_archive', 'decision_chain', 'credit')
SALESPEOPLE = 20


def build_data(env, customers, invoices):
    cr = env.cr
    company = env.ref('base.main_company')
    journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    if not journal:
        env['account.chart.template'].try_loading('generic_coa', company=company, install_demo=False)
        journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    receivable = env['account.account'].search(
        [('account_type', '=', 'asset_receivable'), ('company_ids', 'in', company.id)], limit=1)
    key = str(company.id)
    # salespeople in one sales team, a leader, a collection user
    users = env['res.users'].with_context(no_reset_password=True).create([{
        'name': f'Bench sales {n}', 'login': f'bench_sales_{n}',
        'groups_id': [(4, env.ref('sales_team.group_sale_salesman').id)],
        'company_id': company.id, 'company_ids': [(6, 0, company.ids)]} for n in range(SALESPEOPLE)])
    team = env['crm.team'].create({'name': 'Bench team', 'user_id': users[0].id, 'company_id': company.id})
    env['crm.team.member'].create([{'crm_team_id': team.id, 'user_id': user.id} for user in users[1:]])
    company.write({'custmgmt_collection_user_id': env.ref('base.user_admin').id,
                   'custmgmt_tier_last_run_date': time.strftime('%Y-%m-01')})
    env.flush_all()
    # customers: tier by rank (A 2 %, B 10 %), a salesperson each, a credit limit on a third,
    # archives reviewed at some point of the last 12 months, created two years ago
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, customer_rank, active, type, autopost_bills,
                                 user_id, custmgmt_tier, credit_limit, custmgmt_archive_reviewed_on,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, TRUE, 1, TRUE, 'contact', 'ask',
               (%(users)s::int[])[1 + n %% %(nusers)s],
               jsonb_build_object(%(key)s, CASE WHEN n <= %(customers)s / 50 THEN 'a'
                                                WHEN n <= %(customers)s * 12 / 100 THEN 'b' ELSE 'c' END),
               CASE WHEN n %% 3 = 0 THEN jsonb_build_object(%(key)s, 20000 + (n %% 7) * 5000) END,
               CURRENT_DATE - (n %% 365), NOW() - INTERVAL '2 years', NOW(), 1, 1
          FROM generate_series(1, %(customers)s) n
    """, {'users': users.ids, 'nusers': len(users), 'key': key, 'customers': customers})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name LIKE 'Bench customer %%'")
    first_id = cr.fetchone()[0]
    # invoices: the customer of rank k buys ~ 1/k^0.8 as often (Zipf-like), over 24 months; 1 in 20 a refund
    cr.execute("""
        INSERT INTO account_move (name, journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                                  move_type, state, auto_post, date, invoice_date, invoice_date_due,
                                  amount_untaxed_signed, amount_untaxed, amount_total, amount_total_signed,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'BENCHW/' || n, %(journal)s, %(company)s, %(currency)s, p, p,
               CASE WHEN n %% 20 = 0 THEN 'out_refund' ELSE 'out_invoice' END, 'posted', 'no', d, d, d + 30,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * amount, amount, amount,
               CASE WHEN n %% 20 = 0 THEN -1 ELSE 1 END * amount,
               NOW(), NOW(), 1, 1
          FROM (SELECT n, %(first)s + LEAST(%(customers)s - 1, FLOOR(%(customers)s * POWER(random(), 3))::int) AS p,
                       (CURRENT_DATE - (random() * 730)::int) AS d,
                       ROUND((100 + random() * 5000)::numeric, 2) AS amount
                  FROM generate_series(1, %(invoices)s) n) src
    """, {'journal': journal.id, 'company': company.id, 'currency': company.currency_id.id, 'first': first_id,
          'customers': customers, 'invoices': invoices})
    # a receivable item per invoice; a customer pays habitually 0-9 days late (1 in 10 customers:
    # 20-40 days late over the last 3 months); items due in the last 40 days and 1 in 50 older ones
    # are still open
    cr.execute("""
        INSERT INTO account_move_line (move_id, account_id, partner_id, company_id, currency_id, company_currency_id,
                                       journal_id, display_type, parent_state, date, date_maturity, balance, debit,
                                       credit, amount_currency, amount_residual, amount_residual_currency,
                                       reconciled, create_date, write_date, create_uid, write_uid)
        SELECT move.id, %(account)s, move.partner_id, move.company_id, move.currency_id, move.currency_id,
               move.journal_id, 'payment_term', 'posted', move.date, move.invoice_date_due,
               move.amount_total_signed, GREATEST(move.amount_total_signed, 0),
               GREATEST(-move.amount_total_signed, 0), move.amount_total_signed,
               CASE WHEN open THEN move.amount_total_signed ELSE 0 END,
               CASE WHEN open THEN move.amount_total_signed ELSE 0 END,
               NOT open, NOW(), NOW(), 1, 1
          FROM (SELECT move.*, (move.move_type = 'out_invoice'
                                AND (move.invoice_date_due > CURRENT_DATE - 40 OR move.id %% 50 = 0)) AS open
                  FROM account_move move WHERE move.name LIKE 'BENCHW/%%') move
    """, {'account': receivable.id})
    # the payments' side: one counterpart line, and a partial reconcile per paid invoice item dated
    # the day it was paid
    cr.execute("""
        INSERT INTO account_move_line (move_id, account_id, partner_id, company_id, currency_id, company_currency_id,
                                       display_type, parent_state, date, balance, debit, credit, amount_currency,
                                       amount_residual, amount_residual_currency, reconciled,
                                       create_date, write_date, create_uid, write_uid)
        SELECT MIN(id), %(account)s, NULL, %(company)s, %(currency)s, %(currency)s, 'payment_term', 'posted',
               CURRENT_DATE, 0, 0, 0, 0, 0, 0, TRUE, NOW(), NOW(), 1, 1
          FROM account_move WHERE name LIKE 'BENCHW/%%' RETURNING id
    """, {'account': receivable.id, 'company': company.id, 'currency': company.currency_id.id})
    counterpart = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, debit_amount_currency,
                                               credit_amount_currency, company_id, debit_currency_id,
                                               credit_currency_id, max_date, create_date, write_date,
                                               create_uid, write_uid)
        SELECT line.id, %(counterpart)s, line.debit, line.debit, line.debit, line.company_id, line.currency_id,
               line.currency_id,
               LEAST(CURRENT_DATE - 1, line.date_maturity + (line.partner_id %% 10)
                     + CASE WHEN line.partner_id %% 10 = 3 AND line.date_maturity > CURRENT_DATE - 120
                            THEN 20 + line.partner_id %% 21 ELSE 0 END),
               NOW(), NOW(), 1, 1
          FROM account_move_line line
          JOIN account_move move ON move.id = line.move_id
         WHERE move.name LIKE 'BENCHW/%%' AND line.reconciled AND line.debit > 0
    """, {'counterpart': counterpart})
    # complaints (1 per 10 customers, the last 60 days), opinions (2 per 5 customers), tier changes
    # (5 % moved at the last recompute), routine visits (A and B customers), decision-chain leaders
    category = env.ref('custmgmt_addon.complaint_category_product_quality')
    cr.execute("""
        INSERT INTO custmgmt_complaint (name, subject, state, active, company_id, partner_id, category_id, kind,
                                        date_received, create_date, write_date, create_uid, write_uid)
        SELECT 'BENCHC/' || n, 'Bench complaint', 'new', TRUE, %(company)s,
               %(first)s + (n * 7919) %% (%(customers)s / 20),
               %(category)s, CASE WHEN n %% 4 = 0 THEN 'quality' ELSE 'non_quality' END,
               NOW() - (n %% 60) * INTERVAL '1 day', NOW(), NOW(), 1, 1
          FROM generate_series(1, %(customers)s / 10) n
    """, {'company': company.id, 'first': first_id, 'customers': customers, 'category': category.id})
    survey = env.ref('custmgmt_addon.survey_customer_opinion')
    cr.execute("""
        INSERT INTO survey_user_input (survey_id, access_token, state, custmgmt_partner_id, custmgmt_company_id,
                                       custmgmt_satisfaction, end_datetime, create_date, write_date,
                                       create_uid, write_uid)
        SELECT %(survey)s, md5('bench' || n), 'done', %(first)s + n %% (%(customers)s * 2 / 5), %(company)s,
               1 + (n * 37 %% 41) / 10.0, NOW() - (n %% 300) * INTERVAL '1 day', NOW(), NOW(), 1, 1
          FROM generate_series(1, %(customers)s * 4 / 5) n
    """, {'survey': survey.id, 'first': first_id, 'customers': customers, 'company': company.id})
    cr.execute("""
        INSERT INTO custmgmt_tier_history (partner_id, company_id, old_tier, new_tier, date, reason,
                                           create_date, write_date, create_uid, write_uid)
        SELECT id, %(company)s, CASE WHEN id %% 2 = 0 THEN 'a' ELSE 'b' END,
               CASE WHEN id %% 2 = 0 THEN 'b' ELSE 'c' END, %(last_run)s, 'recompute', NOW(), NOW(), 1, 1
          FROM res_partner WHERE name LIKE 'Bench customer %%' AND id %% 20 = 0
    """, {'company': company.id, 'last_run': company.custmgmt_tier_last_run_date})
    cr.execute("""
        INSERT INTO custmgmt_visit (partner_id, company_id, user_id, date, kind, state, next_steps,
                                    create_date, write_date, create_uid, write_uid)
        SELECT id, %(company)s, user_id, CURRENT_DATE - (id %% 60), 'routine', 'done', 'Bench', NOW(), NOW(), 1, 1
          FROM res_partner WHERE name LIKE 'Bench customer %%' AND custmgmt_tier ->> %(key)s IN ('a', 'b')
    """, {'company': company.id, 'key': key})
    cr.execute("""
        INSERT INTO custmgmt_decision_member (partner_id, company_id, department, name, decision_role, is_coach,
                                              active, create_date, write_date, create_uid, write_uid)
        SELECT id, %(company)s, 'management', 'Leader ' || id, 'leader', id %% 3 = 0, id %% 9 != 0,
               NOW(), NOW(), 1, 1
          FROM res_partner WHERE name LIKE 'Bench customer %%' AND custmgmt_tier ->> %(key)s IN ('a', 'b')
    """, {'company': company.id, 'key': key})
    cr.execute("ANALYZE")
    cr.commit()
    env.invalidate_all()
    return company


def change_one_percent(env):
    """1 % of the invoices change: half of the open ones among them are paid, 20 days late;
    the others' payment comes 25 days later than it did."""
    cr = env.cr
    cr.execute("""
        UPDATE account_move_line line SET amount_residual = 0, amount_residual_currency = 0, reconciled = TRUE
          FROM account_move move
         WHERE move.id = line.move_id AND move.name LIKE 'BENCHW/%' AND move.id % 100 = 7 AND NOT line.reconciled
           AND line.debit > 0
     RETURNING line.id, line.date_maturity
    """)
    paid = cr.fetchall()
    cr.execute("SELECT MIN(credit_move_id) FROM account_partial_reconcile")
    counterpart = cr.fetchone()[0]
    if paid:
        cr.execute("""
            INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, company_id, max_date)
            SELECT v.id, %s, 0, 1, LEAST(CURRENT_DATE - 1, v.due + 20)
              FROM unnest(%s::int[], %s::date[]) AS v(id, due)
        """, [counterpart, [r[0] for r in paid], [r[1] for r in paid]])
    cr.execute("""
        UPDATE account_partial_reconcile partial SET max_date = LEAST(CURRENT_DATE - 1, partial.max_date + 25)
          FROM account_move_line line JOIN account_move move ON move.id = line.move_id
         WHERE partial.debit_move_id = line.id AND move.name LIKE 'BENCHW/%' AND move.id % 100 = 7
    """)
    cr.execute("""
        SELECT COUNT(*) FROM account_move WHERE name LIKE 'BENCHW/%' AND id % 100 = 7
    """)
    changed = cr.fetchone()[0]
    cr.execute("ANALYZE account_move_line; ANALYZE account_partial_reconcile")
    cr.commit()
    return changed


# ----------------------------------------------------------------------------
# the floor: the ten conditions in bare SQL
# ----------------------------------------------------------------------------

FLOOR_SQL = {
    'key_decline': """
        SELECT COUNT(*) FROM (
            SELECT move.commercial_partner_id, partner.custmgmt_tier ->> %(key)s AS tier,
                   COALESCE(SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(r0)s), 0) AS cur,
                   SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(p0)s
                                                             AND move.invoice_date < %(p1)s) AS prev,
                   SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(y0)s
                                                             AND move.invoice_date < %(y1)s) AS year
              FROM account_move move JOIN res_partner partner ON partner.id = move.commercial_partner_id
             WHERE move.company_id = %(company)s AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= LEAST(%(p0)s, %(y0)s) AND move.invoice_date < %(r1)s
               AND partner.custmgmt_tier ->> %(key)s IN ('a', 'b')
          GROUP BY 1, 2) s
         WHERE (s.prev > 0 AND (s.prev - s.cur) * 100 >= %(decline_pct)s * s.prev - 1e-9)
            OR (s.year > 0 AND (s.year - s.cur) * 100 >= %(decline_pct)s * s.year - 1e-9)
    """,
    'churn': """
        WITH candidates AS (
            SELECT commercial_partner_id AS pid FROM account_move
             WHERE company_id = %(company)s AND state = 'posted' AND move_type = 'out_invoice'
               AND invoice_date IS NOT NULL AND commercial_partner_id IS NOT NULL
          GROUP BY 1 HAVING MAX(invoice_date) < %(churn_since)s
        ), days AS (
            SELECT DISTINCT move.commercial_partner_id AS pid, move.invoice_date AS d
              FROM account_move move JOIN candidates c ON c.pid = move.commercial_partner_id
             WHERE move.company_id = %(company)s AND move.state = 'posted' AND move.move_type = 'out_invoice'
        ), ranked AS (
            SELECT pid, d, ROW_NUMBER() OVER (PARTITION BY pid ORDER BY d DESC) AS rn FROM days
        ), gaps AS (
            SELECT pid, d, d - LEAD(d) OVER (PARTITION BY pid ORDER BY d DESC) AS gap FROM ranked WHERE rn <= 13
        ), med AS (
            SELECT pid, MAX(d) AS last, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY gap) AS median, COUNT(gap) AS n
              FROM gaps GROUP BY pid
        )
        SELECT COUNT(*) FROM med
         WHERE n > 0 AND %(today)s::date - last > GREATEST(%(churn_factor)s * median, %(churn_min_days)s)
    """,
    'slow_payment': """
        WITH paid AS (
            SELECT partner.commercial_partner_id AS pid, COALESCE(line.date_maturity, line.date) AS due,
                   MAX(partial.max_date) AS paid_on
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
             WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted' AND line.reconciled
               AND move.move_type = 'out_invoice' AND line.company_id = %(company)s
               AND partial.max_date >= %(since12)s
          GROUP BY line.id, partner.commercial_partner_id
        ), delay AS (
            SELECT pid, AVG(GREATEST(paid_on - due, 0)) FILTER (WHERE paid_on >= %(since3)s) AS recent,
                   AVG(GREATEST(paid_on - due, 0)) AS year
              FROM paid GROUP BY pid
        ), overdue AS (
            SELECT partner.commercial_partner_id AS pid,
                   MAX(%(today)s::date - COALESCE(line.date_maturity, line.date)) AS days
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE AND line.amount_residual > 0
               AND COALESCE(line.date_maturity, line.date) < %(today)s AND line.company_id = %(company)s
          GROUP BY 1
        )
        SELECT COUNT(*) FROM delay FULL JOIN overdue USING (pid)
         WHERE (overdue.days > %(overdue_days)s AND delay.year <= %(on_time_days)s)
            OR (delay.recent - delay.year >= %(delay_days)s - 1e-9)
    """,
    'satisfaction': """
        WITH ranked AS (
            SELECT custmgmt_partner_id AS pid, custmgmt_satisfaction AS score,
                   ROW_NUMBER() OVER (PARTITION BY custmgmt_partner_id
                                      ORDER BY end_datetime DESC NULLS LAST, id DESC) AS rn
              FROM survey_user_input
             WHERE state = 'done' AND custmgmt_satisfaction > 0 AND custmgmt_company_id = %(company)s
               AND custmgmt_partner_id IS NOT NULL
        ), two AS (
            SELECT pid, MAX(score) FILTER (WHERE rn = 1) AS latest, MAX(score) FILTER (WHERE rn = 2) AS previous
              FROM ranked WHERE rn <= 2 GROUP BY pid
        )
        SELECT COUNT(*) FROM two
         WHERE latest <= %(satisfaction_low)s + 1e-9 OR previous - latest >= %(satisfaction_drop)s - 1e-9
    """,
    'complaints': """
        SELECT COUNT(*) FROM (
            SELECT partner.commercial_partner_id, partner.custmgmt_tier ->> %(key)s AS tier, COUNT(*) AS n,
                   COUNT(*) FILTER (WHERE complaint.kind = 'quality') AS q
              FROM custmgmt_complaint complaint
              JOIN res_partner customer ON customer.id = complaint.partner_id
              JOIN res_partner partner ON partner.id = customer.commercial_partner_id
             WHERE complaint.company_id = %(company)s AND complaint.state != 'cancelled' AND complaint.active
               AND complaint.date_received >= %(complaint_since)s
          GROUP BY 1, 2) s
         WHERE (s.tier = 'a' AND s.q > 0) OR s.n >= %(complaint_count)s
    """,
    'tier_down': """
        SELECT COUNT(*) FROM (
            SELECT DISTINCT ON (partner_id) partner_id, old_tier, new_tier, date, reason
              FROM custmgmt_tier_history
             WHERE company_id = %(company)s AND date >= %(last_run)s
          ORDER BY partner_id, date DESC, id DESC) s
         WHERE reason = 'recompute' AND date = %(last_run)s AND old_tier IS NOT NULL AND new_tier > old_tier
    """,
    'service_gap': """
        SELECT COUNT(*) FROM (
            SELECT partner.custmgmt_tier ->> %(key)s AS tier,
                   (SELECT MAX(date) FROM custmgmt_visit v WHERE v.partner_id = partner.id
                       AND v.company_id = %(company)s AND v.state = 'done' AND v.kind != 'top_management') AS last,
                   (SELECT MIN(date) FROM custmgmt_tier_history h WHERE h.partner_id = partner.id
                       AND h.company_id = %(company)s AND h.new_tier IS NOT NULL) AS since
              FROM res_partner partner
             WHERE partner.custmgmt_tier ->> %(key)s IS NOT NULL AND partner.active AND partner.parent_id IS NULL
               AND NOT COALESCE(partner.custmgmt_visit_opt_out, FALSE)) s
         WHERE %(today)s::date - COALESCE(s.last + (%(intervals)s::jsonb ->> s.tier)::int, s.since, %(today)s)
               > (%(intervals)s::jsonb ->> s.tier)::int
           AND (%(intervals)s::jsonb ->> s.tier)::int > 0
    """,
    'stale_archive': """
        SELECT COUNT(*) FROM res_partner partner
         WHERE partner.custmgmt_tier ->> %(key)s IN ('a', 'b') AND partner.active AND partner.parent_id IS NULL
           AND COALESCE(partner.custmgmt_archive_reviewed_on, partner.create_date::date)
               + %(stale_months)s * INTERVAL '1 month' <= %(today)s
    """,
    'decision_chain': """
        SELECT COUNT(*) FROM (
            SELECT member.partner_id,
                   COUNT(*) FILTER (WHERE NOT member.active AND member.decision_role = 'leader') AS al,
                   COUNT(*) FILTER (WHERE member.active AND member.decision_role = 'leader') AS l,
                   COUNT(*) FILTER (WHERE NOT member.active AND member.is_coach) AS ac,
                   COUNT(*) FILTER (WHERE member.active AND member.is_coach) AS c
              FROM custmgmt_decision_member member JOIN res_partner partner ON partner.id = member.partner_id
             WHERE member.company_id = %(company)s AND partner.custmgmt_tier ->> %(key)s IN ('a', 'b')
          GROUP BY 1) s
         WHERE (s.al > 0 AND s.l = 0) OR (s.ac > 0 AND s.c = 0)
    """,
    'credit': """
        SELECT COUNT(*) FROM (
            SELECT src.pid, SUM(src.amount) AS exposure
              FROM (SELECT partner.commercial_partner_id AS pid, line.amount_residual AS amount
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                      JOIN res_partner partner ON partner.id = line.partner_id
                     WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
                       AND line.reconciled IS NOT TRUE AND line.amount_residual != 0
                       AND line.company_id = %(company)s
                 UNION ALL
                    SELECT partner.commercial_partner_id, move.amount_total_signed
                      FROM account_move move JOIN res_partner partner ON partner.id = move.partner_id
                     WHERE move.state = 'draft' AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.company_id = %(company)s
                 UNION ALL
                    SELECT partner.commercial_partner_id, sol.untaxed_amount_to_invoice
                      FROM sale_order_line sol JOIN sale_order sale ON sale.id = sol.order_id
                      JOIN res_partner partner ON partner.id = sale.partner_invoice_id
                     WHERE sale.state = 'sale' AND sol.untaxed_amount_to_invoice > 0
                       AND sale.company_id = %(company)s) src
          GROUP BY 1) e
          JOIN res_partner customer ON customer.id = e.pid
         WHERE (customer.credit_limit ->> %(key)s)::float8 > 0
           AND e.exposure * 100 >= %(credit_pct)s * (customer.credit_limit ->> %(key)s)::float8 - 1e-9
    """,
}


def floor_params(env, company):
    from odoo import fields

    from odoo.addons.custmgmt_addon.rules import warnings as rules
    today = fields.Date.context_today(env['res.company'])
    policy = company._custmgmt_warning_policy()
    recent, previous, year_before = rules.decline_windows(today, policy['decline_months'])
    service = company._custmgmt_service_policy()
    return dict(
        policy, key=str(company.id), company=company.id, today=today,
        r0=recent[0], r1=recent[1], p0=previous[0], p1=previous[1], y0=year_before[0], y1=year_before[1],
        churn_since=fields.Date.subtract(today, days=policy['churn_min_days']),
        since12=fields.Date.subtract(today, months=12), since3=fields.Date.subtract(today, months=3),
        on_time_days=rules.DEFAULTS['on_time_days'],
        complaint_since=fields.Datetime.to_datetime(fields.Date.subtract(today, days=policy['complaint_days'] - 1)),
        last_run=company.custmgmt_tier_last_run_date, intervals=json.dumps(service['intervals']),
    )


def run_floor(env, company):
    params = floor_params(env, company)
    cr = env.cr
    counts = {}
    t0 = time.perf_counter()
    for kind in KINDS:
        cr.execute(FLOOR_SQL[kind], params)
        counts[kind] = cr.fetchone()[0]
    elapsed = time.perf_counter() - t0
    cr.rollback()
    return elapsed, {kind: n for kind, n in counts.items() if n}


def phase_engine(args):
    """Child process: run the scheduled action once; print JSON with time, peak RSS and the open warnings."""
    env, cr = env_for(args.db, args.addons_path)
    cron = env.ref('custmgmt_addon.ir_cron_warnings')
    t0 = time.perf_counter()
    if os.environ.get('BENCH_PROFILE'):
        import cProfile
        cProfile.runctx('cron.method_direct_trigger()', globals(), locals(),
                        f"{os.environ['BENCH_PROFILE']}.{int(time.time())}")
    else:
        cron.method_direct_trigger()
    cr.commit()
    elapsed = time.perf_counter() - t0
    cr.execute("SELECT kind, COUNT(*) FROM custmgmt_warning WHERE state = 'open' GROUP BY 1")
    counts = dict(cr.fetchall())
    cr.execute("SELECT COUNT(*) FROM mail_activity WHERE res_model = 'custmgmt.warning'")
    activities = cr.fetchone()[0]
    cr.close()
    print(json.dumps({'seconds': elapsed, 'counts': counts, 'activities': activities, 'peak_rss_mb': peak_rss_mb()}))


def run_engine(args):
    return run_phase(__file__, 'engine', args, "scan")


def main():
    parser = bench_parser(__doc__, 'custmgmt_bench_warnings')
    parser.add_argument('--customers', type=int, default=100_000)
    parser.add_argument('--invoices', type=int, default=1_000_000)
    args = parser.parse_args()

    if args.phase == 'engine':
        return phase_engine(args)

    cmd, python = ensure_odoo_interpreter(__file__)
    args.addons_path = addons_path(python)
    prepare_database(args.db, cmd, args.addons_path)
    status = 0
    try:
        env, cr = env_for(args.db, args.addons_path)
        t0 = time.perf_counter()
        company = build_data(env, args.customers, args.invoices)
        print(f"built {args.customers} customers and {args.invoices} posted invoices with their payments "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)

        floor_first, floor_counts = run_floor(env, company)
        print(f"floor, first: {floor_first:.2f} s, {floor_counts}", flush=True)
        first = run_engine(args)
        print(f"scan, first run through the cron: {first['seconds']:.2f} s, open {first['counts']}, "
              f"{first['activities']} activities", flush=True)
        if floor_counts != first['counts']:
            print(f"MISMATCH: floor {floor_counts} != scan {first['counts']}")
            status = 1

        changed = change_one_percent(env)
        floor_steady, floor_counts = run_floor(env, company)
        print(f"{changed} invoices changed; floor, steady: {floor_steady:.2f} s, {floor_counts}", flush=True)
        steady = run_engine(args)
        print(f"scan, second run: {steady['seconds']:.2f} s, open {steady['counts']}", flush=True)
        if floor_counts != steady['counts']:
            print(f"MISMATCH after the change: floor {floor_counts} != scan {steady['counts']}")
            status = 1
        cr.close()
    finally:
        if not args.keep:
            # --force: the registry of this process still holds connections to it
            drop_database(args.db)

    floor = floor_steady
    peak = max(first['peak_rss_mb'], steady['peak_rss_mb'])
    print(f"floor taken as the steady bare-SQL conditions ({floor:.2f} s); the first-state floor was "
          f"{floor_first:.2f} s")
    print(f"warnings customers={args.customers} invoices={args.invoices} floor_s={floor:.2f} "
          f"first_s={first['seconds']:.2f} steady_s={steady['seconds']:.2f} "
          f"first_ratio={first['seconds'] / floor:.2f} steady_ratio={steady['seconds'] / floor:.2f} "
          f"peak_rss_mb={peak:.0f}")
    return status


if __name__ == '__main__':
    sys.exit(main())
