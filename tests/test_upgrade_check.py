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
        "core_columns": {"res_partner": {"custmgmt_visit_weekday": core if core is not None else {"7": "1"}}},
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
    after = snapshot(rows={}, core={"7": "2"}, activities=[], xmlids={})
    rc, out = run(tmp_path, capsys, snapshot(), after)
    assert rc == 1
    assert "custmgmt_visit row 1 is gone" in out
    assert "res_partner.custmgmt_visit_weekday of row 7" in out
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


def test_partner_fields_renamed_by_18_0_2_are_followed(tmp_path, capsys):
    """The renames of the 18.0.2.0.0 pre-migration (prefix custmgmt_): the column, the field
    row's xml id and its selection values' xml ids are looked up under their new names."""
    assert upgrade_check.PARTNER_FIELD_RENAMES["customer_tier"] == "custmgmt_tier"
    before = snapshot(xmlids={"field_res_partner__customer_tier": ["ir.model.fields", 5],
                              "selection__res_partner__personality__agile": ["ir.model.fields.selection", 6]})
    before["core_columns"]["res_partner"]["customer_tier"] = {"7": {"1": "a"}}
    after = snapshot(xmlids={"field_res_partner__custmgmt_tier": ["ir.model.fields", 5],
                             "selection__res_partner__custmgmt_personality__agile": ["ir.model.fields.selection", 6]})
    after["core_columns"]["res_partner"]["custmgmt_tier"] = {"7": {"1": "a"}}
    rc, out = run(tmp_path, capsys, before, after)
    assert rc == 0, out
    after["core_columns"]["res_partner"]["custmgmt_tier"] = {"7": {"1": "b"}}
    rc, out = run(tmp_path, capsys, before, after)
    assert rc == 1 and "res_partner.customer_tier of row 7" in out


def test_a_view_removed_on_purpose_is_not_a_loss(tmp_path, capsys):
    before = snapshot(xmlids={"custmgmt_tier_register_view_graph": ["ir.ui.view", 11],
                              "some_other_view": ["ir.ui.view", 12]})
    rc, out = run(tmp_path, capsys, before, snapshot(xmlids={}))
    assert rc == 1
    assert "some_other_view" in out and "custmgmt_tier_register_view_graph" not in out
