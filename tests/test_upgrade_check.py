"""The upgrade comparison (scripts/upgrade_check.py) finds what an upgrade lost."""
import importlib.util
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("upgrade_check", os.path.join(ROOT, "scripts", "upgrade_check.py"))
upgrade_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(upgrade_check)


def snapshot(rows=None, core=None, activities=None, xmlids=None):
    return {
        "tables": {"custmgmt_visit": rows if rows is not None else {"1": {"id": 1, "state": "done"}}},
        "core_columns": {"res_partner": {"customer_tier": core if core is not None else {"7": {"1": "a"}}}},
        "activities": activities if activities is not None else [
            {"id": 3, "res_id": 1, "user_id": 2, "date_deadline": "2026-12-01", "summary": "Visit"}],
        "xmlids": xmlids if xmlids is not None else {"ir_cron_plan_visits": ["ir.cron", 9]},
    }


def run(tmp_path, capsys, before, after):
    paths = []
    for name, data in (("before", before), ("after", after)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        paths.append(str(path))
    rc = upgrade_check.main(*paths)
    return rc, capsys.readouterr().out


def test_identical_snapshots_pass(tmp_path, capsys):
    rc, out = run(tmp_path, capsys, snapshot(), snapshot())
    assert rc == 0
    assert out.strip().endswith("upgrade: 6 passed, 0 failed")


def test_lost_row_value_activity_and_xmlid_fail(tmp_path, capsys):
    after = snapshot(rows={}, core={"7": {"1": "b"}}, activities=[], xmlids={})
    rc, out = run(tmp_path, capsys, snapshot(), after)
    assert rc == 1
    assert "custmgmt_visit row 1 is gone" in out
    assert "res_partner.customer_tier of row 7" in out
    assert "open activity 3 (Visit) is gone" in out
    assert "xml id ir_cron_plan_visits (ir.cron) is gone" in out
    assert out.strip().endswith("upgrade: 0 passed, 4 failed")


def test_renamed_column_is_followed(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(upgrade_check.RENAMED_COLUMNS, ("custmgmt_visit", "state"), "visit_state")
    after = snapshot(rows={"1": {"id": 1, "visit_state": "done"}})
    rc, out = run(tmp_path, capsys, snapshot(), after)
    assert rc == 0, out


def test_a_column_filled_at_upgrade_must_be_filled(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(upgrade_check.CHANGED, ("custmgmt_visit", "company_id"), "filled at upgrade")
    before = snapshot(rows={"1": {"id": 1, "company_id": None}})
    rc, _out = run(tmp_path, capsys, before, snapshot(rows={"1": {"id": 1, "company_id": 1}}))
    assert rc == 0
    rc, out = run(tmp_path, capsys, before, snapshot(rows={"1": {"id": 1, "company_id": None}}))
    assert rc == 1 and "custmgmt_visit.company_id of row 1 was not filled by the upgrade" in out
