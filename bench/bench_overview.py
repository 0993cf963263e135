#!/usr/bin/env python3
"""Benchmark of the overview's data method and the Pareto chart's query at
scale, against bare grouped SQL over the same rows, in one run.

    python3 bench/bench_overview.py [--customers 100000] [--invoices 300000] [--items 300000] [--keep]
    python3 bench/bench_overview.py --reuse     # measure again on the database --keep left

Builds a throwaway database with the addon, bulk-inserts C customers (spread
over 40 salespeople, 10 of them in a team), their posted invoices, then tiers
them with the tier engine's scheduled action; adds open receivable items (due
from 60 days ahead to 200 days ago), open complaints (one per 5 customers) and
planned visits (one per 2 customers) with bulk SQL into the real tables, and
measures, in one Odoo process:

- floor: the bare SQL of the two heaviest tiles alone (customers per tier, and
  overdue receivables grouped per customer), best of three;
- the overview (``custmgmt.overview.get_overview``) as a Manager, a team
  leader and a salesperson: first call after the registry loaded, then best
  of three, with the number of queries;
- the Pareto chart of the whole company (``get_pareto``), best of three.

The last line printed is the one to quote; the overview must answer in under
3 s at 100,000 customers (``under_3s=yes``).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_tiers import build_data  # noqa: E402
from benchlib import (  # noqa: E402
    addons_path,
    best_of,
    drop_database,
    ensure_odoo_interpreter,
    env_for,
    prepare_database,
)

SALESPEOPLE = 40
TEAM_MEMBERS = 10
REPEAT = 3

FLOOR_SQL = """
SELECT partner.custmgmt_tier ->> %(key)s, COUNT(*) FROM res_partner partner
 WHERE partner.custmgmt_tier ? %(key)s GROUP BY 1;
SELECT partner.commercial_partner_id, SUM(line.amount_residual),
       MAX(CURRENT_DATE - COALESCE(line.date_maturity, line.date))
  FROM account_move_line line
  JOIN account_account account ON account.id = line.account_id
  JOIN res_partner partner ON partner.id = line.partner_id
 WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
   AND line.reconciled IS NOT TRUE AND line.amount_residual > 0
   AND COALESCE(line.date_maturity, line.date) < CURRENT_DATE AND line.company_id = %(company)s
 GROUP BY 1;
"""


def build_users(env, company):
    """SALESPEOPLE salespeople; the first leads a team of TEAM_MEMBERS of them."""
    from odoo import Command
    group = env.ref('sales_team.group_sale_salesman')
    users = env['res.users'].with_context(no_reset_password=True, mail_create_nolog=True).create([{
        'name': f'Bench salesperson {n}', 'login': f'bench_sales_{n}', 'company_id': company.id,
        'company_ids': [Command.set(company.ids)], 'groups_id': [Command.set(group.ids)],
    } for n in range(SALESPEOPLE)])
    env['crm.team'].create({
        'name': 'Bench team', 'user_id': users[0].id, 'company_id': company.id,
        'crm_team_member_ids': [Command.create({'user_id': user.id}) for user in users[1:TEAM_MEMBERS + 1]],
    })
    return users


def build_service_data(env, company, users, items):
    """Salespeople on the customers; open items, complaints and visits by bulk SQL."""
    cr = env.cr
    ids = users.ids
    cr.execute("""
        UPDATE res_partner SET user_id = (%(ids)s::int[])[1 + id %% %(count)s]
         WHERE name LIKE 'Bench customer %%'
    """, {'ids': ids, 'count': len(ids)})
    cr.execute("SELECT MIN(id), COUNT(*) FROM res_partner WHERE name LIKE 'Bench customer %'")
    first_id, customers = cr.fetchone()
    journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    receivable = env['account.account'].search(
        [('account_type', '=', 'asset_receivable'), ('company_ids', 'in', company.id)], limit=1)
    cr.execute("""
        INSERT INTO account_move (name, journal_id, company_id, currency_id, move_type, state, auto_post,
                                  date, invoice_date, create_date, write_date, create_uid, write_uid)
        SELECT 'BENCHOV/' || n, %(journal)s, %(company)s, %(currency)s, 'out_invoice', 'posted', 'no',
               CURRENT_DATE, CURRENT_DATE, NOW(), NOW(), 1, 1
          FROM generate_series(1, %(moves)s) n
    """, {'journal': journal.id, 'company': company.id, 'currency': company.currency_id.id,
          'moves': max(1, items // 10)})
    cr.execute("SELECT MIN(id) FROM account_move WHERE name LIKE 'BENCHOV/%'")
    first_move = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO account_move_line (move_id, account_id, partner_id, company_id, currency_id, company_currency_id,
                                       display_type, parent_state, date, date_maturity, balance, debit, credit,
                                       amount_currency, amount_residual, amount_residual_currency, reconciled,
                                       create_date, write_date, create_uid, write_uid)
        SELECT %(first_move)s + (n - 1) / 10, %(account)s, %(first)s + (n %% %(customers)s), %(company)s,
               %(currency)s, %(currency)s, 'payment_term', 'posted', CURRENT_DATE,
               CURRENT_DATE + (60 - (random() * 260)::int), amount, amount, 0, amount, amount, amount, FALSE,
               NOW(), NOW(), 1, 1
          FROM (SELECT n, ROUND((10 + random() * 8000)::numeric, 2) AS amount
                  FROM generate_series(1, %(items)s) n) src
    """, {'first_move': first_move, 'account': receivable.id, 'first': first_id, 'customers': customers,
          'company': company.id, 'currency': company.currency_id.id, 'items': items})
    department = env.ref('custmgmt_addon.department_production')
    cr.execute("""
        INSERT INTO custmgmt_complaint (name, subject, company_id, partner_id, state, active, priority,
                                        date_received, deadline, department_id, create_date, write_date,
                                        create_uid, write_uid)
        SELECT 'BENCH-C/' || n, 'Bench complaint', %(company)s, %(first)s + (n * 5) %% %(customers)s,
               CASE WHEN n %% 3 = 0 THEN 'in_progress' ELSE 'new' END, TRUE, '0',
               NOW() - (n %% 10) * INTERVAL '1 day', NOW() + (3 - n %% 10) * INTERVAL '1 day',
               %(department)s, NOW(), NOW(), 1, 1
          FROM generate_series(1, %(count)s) n
    """, {'company': company.id, 'first': first_id, 'customers': customers, 'department': department.id,
          'count': customers // 5})
    cr.execute("""
        INSERT INTO custmgmt_visit (partner_id, company_id, user_id, kind, state, date,
                                    create_date, write_date, create_uid, write_uid)
        SELECT partner.id, %(company)s, partner.user_id, 'routine', 'planned',
               CURRENT_DATE + (partner.id %% 21) - 10, NOW(), NOW(), 1, 1
          FROM res_partner partner
         WHERE partner.name LIKE 'Bench customer %%' AND partner.id %% 2 = 0
    """, {'company': company.id})
    cr.execute("ANALYZE account_move_line; ANALYZE res_partner; ANALYZE account_move; "
               "ANALYZE custmgmt_complaint; ANALYZE custmgmt_visit; ANALYZE custmgmt_tier_position")
    cr.commit()


def measure(env, user, company):
    """``(first_s, best_s, queries)`` of the overview for ``user``."""
    overview = env['custmgmt.overview'].with_user(user).with_context(allowed_company_ids=company.ids)
    cr = env.cr
    env.invalidate_all()
    t0 = time.perf_counter()
    count0 = cr.sql_log_count
    overview.get_overview()
    first = time.perf_counter() - t0
    queries = cr.sql_log_count - count0

    def run():
        env.invalidate_all()
        return overview.get_overview()
    best, _data = best_of(REPEAT, run)
    return first, best, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--customers', type=int, default=100_000)
    parser.add_argument('--invoices', type=int, default=300_000)
    parser.add_argument('--items', type=int, default=300_000)
    parser.add_argument('--db', default='custmgmt_bench_overview')
    parser.add_argument('--keep', action='store_true', help="keep the database afterwards")
    parser.add_argument('--reuse', action='store_true',
                        help="measure again on the database a --keep run left (no rebuild; kept afterwards)")
    args = parser.parse_args()
    args.keep = args.keep or args.reuse

    cmd, python = ensure_odoo_interpreter(__file__)
    paths = addons_path(python)
    if not args.reuse:
        prepare_database(args.db, cmd, paths)
    try:
        env, cr = env_for(args.db, paths)
        if args.reuse:
            company = env.ref('base.main_company')
            users = env['res.users'].search([('login', '=like', 'bench_sales_%')], order='id')
            cr.execute("SELECT COUNT(*) FROM res_partner WHERE name LIKE 'Bench customer %'")
            args.customers = cr.fetchone()[0]
            print(f"reusing {args.db}: {args.customers} customers", flush=True)
        else:
            t0 = time.perf_counter()
            company = build_data(env, args.customers, args.invoices)
            env.ref('custmgmt_addon.ir_cron_recompute_tiers').method_direct_trigger()
            cr.commit()
            users = build_users(env, company)
            build_service_data(env, company, users, args.items)
            print(f"built and tiered {args.customers} customers, {args.invoices} invoices, {args.items} open items "
                  f"in {time.perf_counter() - t0:.1f} s", flush=True)
        key = str(company.id)

        def floor_run():
            cr.execute(FLOOR_SQL, {'key': key, 'company': company.id})
            return cr.fetchall()
        floor, _rows = best_of(REPEAT, floor_run)
        print(f"floor (tiers and overdue per customer, bare SQL): {floor:.2f} s", flush=True)

        manager = env.ref('base.user_admin')
        results = {}
        for label, user in (('manager', manager), ('leader', users[0]), ('salesperson', users[5])):
            results[label] = measure(env, user, company)
            first, best, queries = results[label]
            print(f"overview as {label}: first {first:.2f} s, best {best:.2f} s, {queries} queries", flush=True)
        pareto_env = env['custmgmt.pareto'].with_user(manager).with_context(allowed_company_ids=company.ids)
        pareto, data = best_of(REPEAT, lambda: pareto_env.get_pareto('company'))
        print(f"Pareto of the company: {pareto:.2f} s, {len(data['points'])} bars for {data['customers']} customers",
              flush=True)
        cr.close()
    finally:
        if not args.keep:
            drop_database(args.db)

    worst = max(max(first, best) for first, best, _q in results.values())
    print(f"overview customers={args.customers} floor_s={floor:.2f} manager_s={results['manager'][1]:.2f} "
          f"leader_s={results['leader'][1]:.2f} salesperson_s={results['salesperson'][1]:.2f} "
          f"first_s={results['manager'][0]:.2f} queries={results['manager'][2]} pareto_s={pareto:.2f} "
          f"under_3s={'yes' if worst < 3 else 'NO'}")
    return 0 if worst < 3 else 1


if __name__ == '__main__':
    sys.exit(main())
