"""Compare the snapshots of a database before and after `-u custmgmt_addon`
(scripts/upgrade_snapshot.py): every row, value, open activity and xml id of the release
must still be there after the upgrade, under its new name where the upgrade renamed it.

    python3 scripts/upgrade_check.py BEFORE.json AFTER.json

Renames made by migrations/ are listed below (the same names the migrations give to
openupgradelib); values that an upgrade changes on purpose are listed in CHANGED.
Prints one line per difference (at most 20 per kind) and a closing
"upgrade: N passed, N failed" line; exits 1 on any difference.
"""
import ast
import json
import os
import sys


def _migration_constant(version, name):
    """A literal of a pre-migration script: one definition for the migration and this check."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "custmgmt_addon", "migrations", version,
                        "pre-migration.py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    return next(ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and node.targets[0].id == name)


# res.partner fields renamed by 18.0.2.0.0 (prefix custmgmt_)
PARTNER_FIELD_RENAMES = _migration_constant("18.0.2.0.0", "PARTNER_FIELD_RENAMES")
# old table -> new table
RENAMED_TABLES = {}
# (table, old column) -> new column
RENAMED_COLUMNS = {("res_partner", old): new for old, new in PARTNER_FIELD_RENAMES.items()}
# old xml id (without module) -> new xml id, besides those of the renamed partner fields
RENAMED_XMLIDS = {}
# xml ids of records the release had and the upgrade removes on purpose (views only: no data)
REMOVED_XMLIDS = {
    "custmgmt_tier_register_view_graph": "the Pareto chart (custmgmt.pareto) replaces the register's area graph",
}


def renamed_xmlid(name):
    """The xml id after the upgrade of ``name``: field rows and selection values of the renamed
    partner fields (on res.partner and on res.users, which shows them) follow the field."""
    if name in RENAMED_XMLIDS:
        return RENAMED_XMLIDS[name]
    for prefix in ("field_res_partner__", "field_res_users__", "selection__res_partner__", "selection__res_users__"):
        if name.startswith(prefix):
            rest = name[len(prefix):]
            for old, new in PARTNER_FIELD_RENAMES.items():
                if rest == old or (prefix.startswith("selection") and rest.startswith(old + "__")):
                    return prefix + new + rest[len(old):]
    return name


# (table, column): why the upgrade may change it
CHANGED = {
    # bookkeeping columns that every update rewrites
    **{(t, c): "update" for t in ("*",) for c in ("write_date", "write_uid")},
    # a decision-chain member and a competitor line belong to the company where they were
    # recorded (issue 11): rows of a shared customer get one at the upgrade (the customer's
    # company, else the company of who recorded them, else the first company)
    ("custmgmt_decision_member", "company_id"): "filled at upgrade",
    ("custmgmt_competitor_line", "company_id"): "filled at upgrade",
}


def changed_on_purpose(table, column):
    return (table, column) in CHANGED or ("*", column) in CHANGED


def main(before_path, after_path):
    before = json.load(open(before_path, encoding="utf-8"))
    after = json.load(open(after_path, encoding="utf-8"))
    problems = {}
    checked = 0

    def problem(kind, text):
        problems.setdefault(kind, []).append(text)

    for table, old_rows in before["tables"].items():
        new_table = RENAMED_TABLES.get(table, table)
        new_rows = after["tables"].get(new_table)
        if new_rows is None:
            problem("table", f"table {table} is gone ({len(old_rows)} rows)")
            continue
        for key, old_row in old_rows.items():
            new_row = new_rows.get(key)
            checked += 1
            if new_row is None:
                problem("row", f"{table} row {key} is gone")
                continue
            for column, value in old_row.items():
                new_column = RENAMED_COLUMNS.get((table, column), column)
                checked += 1
                if new_column not in new_row:
                    problem("column", f"{table}.{column} is gone")
                elif CHANGED.get((table, column)) == "filled at upgrade" and new_row[new_column] is None:
                    problem("value", f"{table}.{column} of row {key} was not filled by the upgrade")
                elif new_row[new_column] != value and not changed_on_purpose(table, column):
                    problem("value", f"{table}.{column} of row {key}: {value!r} became {new_row[new_column]!r}")

    for table, columns in before["core_columns"].items():
        for column, values in columns.items():
            new_column = RENAMED_COLUMNS.get((table, column), column)
            new_values = after["core_columns"].get(table, {}).get(new_column)
            if new_values is None:
                problem("column", f"{table}.{column} is gone ({len(values)} values)")
                continue
            for key, value in values.items():
                checked += 1
                if new_values.get(key) != value:
                    problem("value", f"{table}.{column} of row {key}: {value!r} became {new_values.get(key)!r}")

    new_activities = {a["id"]: a for a in after["activities"]}
    for activity in before["activities"]:
        checked += 1
        new = new_activities.get(activity["id"])
        if new is None:
            problem("activity", f"open activity {activity['id']} ({activity['summary']}) is gone")
        elif (new["res_id"], new["user_id"], new["date_deadline"]) != \
                (activity["res_id"], activity["user_id"], activity["date_deadline"]):
            problem("activity", f"activity {activity['id']} changed: {activity} -> {new}")

    for name, (model, res_id) in before["xmlids"].items():
        checked += 1
        new = after["xmlids"].get(renamed_xmlid(name))
        if new is None and model == "ir.ui.view" and name in REMOVED_XMLIDS:
            continue
        if new is None:
            problem("xmlid", f"xml id {name} ({model}) is gone")
        elif new[1] != res_id:
            problem("xmlid", f"xml id {name} points to {new} instead of {[model, res_id]}")

    for kind, texts in sorted(problems.items()):
        for text in texts[:20]:
            print(f"  {kind}: {text}")
        if len(texts) > 20:
            print(f"  {kind}: ... and {len(texts) - 20} more")
    failed = sum(len(t) for t in problems.values())
    print(f"upgrade: {checked - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
