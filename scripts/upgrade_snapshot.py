"""Read inside `odoo shell` (stdin): what the addon stored in this database, as JSON.

Environment: CUSTMGMT_SNAPSHOT (output path), CUSTMGMT_RUN_ENGINES (optional: comma-separated
dates YYYY-MM-DD on which every scheduled action of the addon runs first, as the scheduler
would, date frozen; committed).

The snapshot holds every row of the addon's own tables, the columns the addon stores on core
tables (partner archive, tier, credit, service values, company-dependent ones included), the
open activities, and the addon's xml ids. scripts/upgrade_check.py compares two of them.
"""
# ruff: noqa: F821  (env is given by odoo shell)
import json
import os

from freezegun import freeze_time

MODULE = "custmgmt_addon"

dates = [d for d in os.environ.get("CUSTMGMT_RUN_ENGINES", "").split(",") if d]
if dates:
    crons = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.cron")])
    for day in dates:
        for cron_data in crons.sorted("name"):
            cron = env["ir.cron"].browse(cron_data.res_id)
            with freeze_time(day + " 06:00:00"):
                cron.ir_actions_server_id.sudo().run()
            env.cr.commit()
            print(f"engine run {day} {cron_data.name}")


def rows(query, params=None):
    env.cr.execute(query, params)
    names = [d.name for d in env.cr.description]
    return [dict(zip(names, row)) for row in env.cr.fetchall()]


snapshot = {"tables": {}, "core_columns": {}, "activities": [], "xmlids": {}}
env.cr.execute(
    """SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'custmgmt%%'"""
)
for (table,) in env.cr.fetchall():
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    columns = [c for (c,) in env.cr.fetchall()]
    if "id" in columns:
        snapshot["tables"][table] = {str(r["id"]): r for r in rows(f'SELECT * FROM "{table}"')}
    else:  # relation tables
        snapshot["tables"][table] = {
            "|".join(str(r[c]) for c in sorted(columns)): r for r in rows(f'SELECT * FROM "{table}"')}

# stored fields the addon adds to models of other modules
fields_data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.model.fields")])
for field in env["ir.model.fields"].browse(fields_data.mapped("res_id")):
    if not field.store or field.model.startswith("custmgmt.") or field.ttype in ("one2many", "many2many"):
        continue
    model = env.get(field.model)
    if model is None or model._abstract or not model._auto:
        continue
    table = model._table
    snapshot["core_columns"].setdefault(table, {})
    values = {str(r["id"]): r["value"] for r in rows(
        f'SELECT id, "{field.name}" AS value FROM "{table}" WHERE "{field.name}" IS NOT NULL')}
    snapshot["core_columns"][table][field.name] = values

snapshot["activities"] = rows(
    """SELECT activity.id, activity.res_model, activity.res_id, activity.user_id, activity.date_deadline,
              activity.summary
         FROM mail_activity activity
        WHERE activity.res_model LIKE 'custmgmt%%' OR activity.activity_type_id IN (
              SELECT res_id FROM ir_model_data WHERE module = %s AND model = 'mail.activity.type')""",
    [MODULE])
for data in env["ir.model.data"].search([("module", "=", MODULE)]):
    snapshot["xmlids"][data.name] = [data.model, data.res_id]

with open(os.environ["CUSTMGMT_SNAPSHOT"], "w", encoding="utf-8") as handle:
    json.dump(snapshot, handle, default=str, sort_keys=True)
print("snapshot:", len(snapshot["tables"]), "tables,",
      sum(len(t) for t in snapshot["tables"].values()), "rows,",
      sum(len(v) for t in snapshot["core_columns"].values() for v in t.values()), "core values,",
      len(snapshot["activities"]), "activities,", len(snapshot["xmlids"]), "xml ids")
