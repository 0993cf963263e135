#!/usr/bin/env python3
"""Benchmark of the receivable aging report and the collection matrix against a
bare-SQL aging GROUP BY, in one run.

    python3 bench/bench_receivables.py [--customers 100000] [--items 1000000] [--keep]

Builds a throwaway database with the addon, bulk-inserts C customers and M open
receivable items (posted journal items on the receivable account, due dates
from 60 days ahead to 200 days ago) into the real tables, then measures:

- floor: one bare SQL statement grouping the open receivables by customer and
  aging bucket (best of three);
- aging: the aging report's query grouped by customer and bucket, as its pivot
  asks it (best of three; the ORM's grouped read is printed beside it);
- collection first / steady: the collection action's first run (creating the
  activities) and its second run (creating nothing), in a child process;
- peak RSS (VmHWM) of the child processes that ran the collection;
- the credit hold's check of one quotation (best of three, cache cleared):
  for a customer with 10 open items and for a "whale" with 50,000.

The last line printed is the one to quote.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    addons_path,
    bench_parser,
    best_of,
    drop_database,
    ensure_odoo_interpreter,
    env_for,
    peak_rss_mb,
    prepare_database,
    run_phase,
)

FLOOR_SQL = """
SELECT partner.commercial_partner_id,
       CASE WHEN %(today)s::date - line.date_maturity <= 0 THEN 'not_due'
            WHEN %(today)s::date - line.date_maturity <= 30 THEN '1_30'
            WHEN %(today)s::date - line.date_maturity <= 60 THEN '31_60'
            WHEN %(today)s::date - line.date_maturity <= 90 THEN '61_90'
            ELSE 'over_90' END AS bucket,
       SUM(line.amount_residual)
  FROM account_move_line line
  JOIN account_account account ON account.id = line.account_id
  JOIN res_partner partner ON partner.id = line.partner_id
 WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
   AND line.reconciled IS NOT TRUE AND line.amount_residual != 0 AND line.company_id = %(company)s
 GROUP BY 1, 2
"""


REPEAT = 3  # the floor and the report's query are timed best of three, alike


def build_data(env, customers, items):
    cr = env.cr
    company = env.ref('base.main_company')
    journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    if not journal:
        env['account.chart.template'].try_loading('generic_coa', company=company, install_demo=False)
        journal = env['account.journal'].search([('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    receivable = env['account.account'].search(
        [('account_type', '=', 'asset_receivable'), ('company_ids', 'in', company.id)], limit=1)
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, customer_rank, active, type, autopost_bills,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Bench debtor ' || n, 'Bench debtor ' || n, TRUE, 1, TRUE, 'contact', 'ask', NOW(), NOW(), 1, 1
          FROM generate_series(1, %s) n
    """, [customers])
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name LIKE 'Bench debtor %'")
    first_id = cr.fetchone()[0]
    moves = max(1, items // 10)
    cr.execute("""
        INSERT INTO account_move (name, journal_id, company_id, currency_id, move_type, state, auto_post,
                                  date, invoice_date, create_date, write_date, create_uid, write_uid)
        SELECT 'BENCHAR/' || n, %(journal)s, %(company)s, %(currency)s, 'out_invoice', 'posted', 'no',
               CURRENT_DATE, CURRENT_DATE, NOW(), NOW(), 1, 1
          FROM generate_series(1, %(moves)s) n
    """, {'journal': journal.id, 'company': company.id, 'currency': company.currency_id.id, 'moves': moves})
    cr.execute("SELECT MIN(id) FROM account_move WHERE name LIKE 'BENCHAR/%'")
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
          FROM (SELECT n, ROUND((10 + random() * 3000)::numeric, 2) AS amount
                  FROM generate_series(1, %(items)s) n) src
    """, {'first_move': first_move, 'account': receivable.id, 'first': first_id, 'customers': customers,
          'company': company.id, 'currency': company.currency_id.id, 'items': items})
    admin = env.ref('base.user_admin')
    company.write({'custmgmt_collection_user_id': admin.id, 'custmgmt_finance_manager_id': admin.id})
    cr.execute("ANALYZE account_move_line; ANALYZE res_partner; ANALYZE account_move")
    cr.commit()
    return company


WHALE_ITEMS = 50_000


def build_whale(env, company, items=WHALE_ITEMS):
    """One more customer with ``items`` open receivable items, inserted as the book is."""
    cr = env.cr
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, customer_rank, active, type, autopost_bills,
                                 create_date, write_date, create_uid, write_uid)
        VALUES ('Bench whale', 'Bench whale', TRUE, 1, TRUE, 'contact', 'ask', NOW(), NOW(), 1, 1) RETURNING id
    """)
    whale = cr.fetchone()[0]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = %s", [whale])
    cr.execute("SELECT MIN(id) FROM account_move WHERE name LIKE 'BENCHAR/%%'")
    move = cr.fetchone()[0]
    cr.execute("""
        SELECT account_id FROM account_move_line WHERE move_id = %s LIMIT 1
    """, [move])
    account = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO account_move_line (move_id, account_id, partner_id, company_id, currency_id, company_currency_id,
                                       display_type, parent_state, date, date_maturity, balance, debit, credit,
                                       amount_currency, amount_residual, amount_residual_currency, reconciled,
                                       create_date, write_date, create_uid, write_uid)
        SELECT %(move)s, %(account)s, %(whale)s, %(company)s, %(currency)s, %(currency)s, 'payment_term', 'posted',
               CURRENT_DATE, CURRENT_DATE + (60 - (random() * 260)::int), 100, 100, 0, 100, 100, 100, FALSE,
               NOW(), NOW(), 1, 1
          FROM generate_series(1, %(items)s) n
    """, {'move': move, 'account': account, 'whale': whale, 'company': company.id,
          'currency': company.currency_id.id, 'items': items})
    cr.execute("ANALYZE account_move_line")
    return env['res.partner'].browse(whale)


def measure_hold(env, company):
    """Seconds of the credit hold's check of one quotation, ``(typical, whale)``:
    a customer with 10 open items and one with 50,000, cache cleared, best of three."""
    cr = env.cr
    typical = env['res.partner'].search([('name', '=like', 'Bench debtor %')], limit=1)
    cr.execute("""SELECT COUNT(*) FROM account_move_line line JOIN res_partner partner ON partner.id = line.partner_id
                   WHERE partner.commercial_partner_id = %s""", [typical.id])
    typical_items = cr.fetchone()[0]
    whale = build_whale(env, company)
    company.write({'custmgmt_credit_hold_enabled': True})
    product = env['product.product'].create({'name': 'Bench product', 'list_price': 100})
    seconds = []
    for customer in (typical, whale):
        customer.with_company(company).credit_limit = 1000
        order = env['sale.order'].create({'partner_id': customer.id, 'company_id': company.id, 'order_line': [
            (0, 0, {'product_id': product.id, 'product_uom_qty': 1, 'price_unit': 100})]})
        env.flush_all()

        def check():
            env.invalidate_all()
            return order._custmgmt_credit_checks()

        best, result = best_of(REPEAT, check)
        print(f"hold check, customer with {typical_items if customer == typical else WHALE_ITEMS} open items: "
              f"{best:.3f} s, reasons {result[order][0]}", flush=True)
        seconds.append(best)
    cr.commit()
    return seconds


def phase_collection(args):
    """Child process: one run of the collection action, committing as the cron does."""
    from odoo import fields
    env, cr = env_for(args.db, args.addons_path)
    company = env.ref('base.main_company')
    t0 = time.perf_counter()
    done, remaining = env['custmgmt.collection']._run(company, today=fields.Date.today(), auto_commit=True)
    cr.commit()
    elapsed = time.perf_counter() - t0
    cr.execute("SELECT COUNT(*) FROM mail_activity WHERE res_model = 'res.partner'")
    activities = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM mail_mail mail JOIN mail_message message ON message.id = mail.mail_message_id "
               "WHERE message.model = 'res.partner'")
    letters = cr.fetchone()[0]
    cr.close()
    peak = peak_rss_mb()
    print(json.dumps({'seconds': elapsed, 'done': done, 'remaining': remaining, 'activities': activities,
                      'letters': letters, 'peak_rss_mb': peak}))


def run_collection(args):
    return run_phase(__file__, 'collection', args, "collection run")


def main():
    parser = bench_parser(__doc__, 'custmgmt_bench_receivables')
    parser.add_argument('--customers', type=int, default=100_000)
    parser.add_argument('--items', type=int, default=1_000_000)
    args = parser.parse_args()
    if args.phase == 'collection':
        return phase_collection(args)

    cmd, python = ensure_odoo_interpreter(__file__)
    args.addons_path = addons_path(python)
    prepare_database(args.db, cmd, args.addons_path)
    try:
        from odoo import fields
        from odoo.tools import SQL
        env, cr = env_for(args.db, args.addons_path)
        t0 = time.perf_counter()
        company = build_data(env, args.customers, args.items)
        print(f"built {args.customers} customers and {args.items} open receivable items "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        today = fields.Date.today()

        def floor_query():
            cr.execute(FLOOR_SQL, {'today': today, 'company': company.id})
            return cr.fetchall()

        floor, floor_rows = best_of(REPEAT, floor_query)
        floor_total = round(sum(float(r[2]) for r in floor_rows), 2)
        print(f"floor (bare aging GROUP BY): {floor:.2f} s, {len(floor_rows)} groups", flush=True)

        Aging = env['custmgmt.receivable.aging']
        # the report's query: its view, grouped by customer and bucket, as the pivot asks it
        aging, groups = best_of(REPEAT, lambda: env.execute_query(SQL(
            "SELECT partner_id, bucket, SUM(amount_residual) FROM (%s) aging WHERE company_id = %s GROUP BY 1, 2",
            Aging._table_query, company.id)))
        aging_total = round(sum(float(g[2]) for g in groups), 2)
        print(f"aging report query (customer x bucket): {aging:.2f} s, {len(groups)} groups", flush=True)
        t0 = time.perf_counter()
        orm_groups = Aging._read_group([('company_id', '=', company.id)], ['partner_id', 'bucket'],
                                       ['amount_residual:sum'])
        print(f"same through the ORM's grouped read (records built for every group): "
              f"{time.perf_counter() - t0:.2f} s, {len(orm_groups)} groups", flush=True)
        if len(groups) != len(floor_rows) or abs(aging_total - floor_total) > 0.05:
            print(f"MISMATCH: report {len(groups)} groups / {aging_total} vs floor {len(floor_rows)} / {floor_total}")
            return 1
        del floor_rows, groups, orm_groups
        cr.commit()
        env.invalidate_all()
        first = run_collection(args)
        print(f"collection, first run: {first['seconds']:.2f} s, {first['done']} activities and letters made, "
              f"{first['activities']} activities, {first['letters']} letters queued, "
              f"peak RSS {first['peak_rss_mb']:.0f} MB", flush=True)
        steady = run_collection(args)
        print(f"collection, second run: {steady['seconds']:.2f} s, {steady['done']} made, "
              f"{steady['activities']} activities, {steady['letters']} letters, "
              f"peak RSS {steady['peak_rss_mb']:.0f} MB", flush=True)
        if (steady['done'], steady['activities'], steady['letters']) != (0, first['activities'], first['letters']):
            print("MISMATCH: the second run made something")
            return 1
        env.invalidate_all()
        hold_typical, hold_whale = measure_hold(env, company)
        cr.close()
    finally:
        if not args.keep:
            drop_database(args.db)
    peak = max(first['peak_rss_mb'], steady['peak_rss_mb'])
    print(f"receivables customers={args.customers} items={args.items} floor_s={floor:.2f} aging_s={aging:.2f} "
          f"collection_first_s={first['seconds']:.2f} collection_steady_s={steady['seconds']:.2f} "
          f"aging_ratio={aging / floor:.2f} steady_ratio={steady['seconds'] / floor:.2f} peak_rss_mb={peak:.0f} "
          f"hold_typical_s={hold_typical:.3f} hold_whale_s={hold_whale:.3f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
