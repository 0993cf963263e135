"""Static checks of the addon: what Odoo would only tell at install time, or never."""
import ast
import csv
import os
import re
from xml.etree import ElementTree

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = os.path.join(ROOT, "custmgmt_addon")
MANIFEST = ast.literal_eval(open(os.path.join(ADDON, "__manifest__.py"), encoding="utf-8").read())


def addon_files(ext):
    for folder, _dirs, files in os.walk(ADDON):
        for name in files:
            if name.endswith(ext):
                yield os.path.relpath(os.path.join(folder, name), ADDON)


def test_manifest_fields():
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", MANIFEST["version"])
    assert MANIFEST["license"] == "LGPL-3"
    assert {"mail", "sale_management", "account"} <= set(MANIFEST["depends"])
    assert "description" not in MANIFEST
    assert MANIFEST.get("installable", True)


@pytest.mark.parametrize("path", sorted(addon_files(".xml")))
def test_xml_parses_and_is_listed(path):
    ElementTree.parse(os.path.join(ADDON, path))
    if path.startswith("static" + os.sep):  # OWL templates: loaded as assets, not as data
        assert any(path.startswith(glob.split("/**")[0].removeprefix("custmgmt_addon/"))
                   for globs in MANIFEST.get("assets", {}).values() for glob in globs), f"{path} is in no asset bundle"
        return
    assert path in MANIFEST["data"] + MANIFEST.get("demo", []), f"{path} is not in the manifest"


def test_manifest_files_exist_and_security_comes_first():
    for path in MANIFEST["data"] + MANIFEST.get("demo", []):
        assert os.path.exists(os.path.join(ADDON, path)), path
    first_non_security = next(i for i, p in enumerate(MANIFEST["data"]) if not p.startswith("security/"))
    assert all(not p.startswith("security/") for p in MANIFEST["data"][first_non_security:])
    assert MANIFEST["data"][-1] == "views/custmgmt_menus.xml"


def model_names():
    names = set()
    for path in addon_files(".py"):
        tree = ast.parse(open(os.path.join(ADDON, path), encoding="utf-8").read())
        for node in ast.walk(tree):
            abstract = isinstance(node, ast.ClassDef) and any(
                getattr(base, 'attr', getattr(base, 'id', '')) == 'AbstractModel' for base in node.bases)
            if isinstance(node, ast.ClassDef) and not abstract:
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and any(getattr(t, "id", None) == "_name" for t in stmt.targets):
                        names.add(stmt.value.value)
    return names


def test_every_model_has_acl_rows():
    with open(os.path.join(ADDON, "security", "ir.model.access.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    names = model_names()
    assert names, "no model found"
    missing = sorted(n for n in names if "model_" + n.replace(".", "_") not in covered)
    assert not missing, f"models without ACL rows: {missing}"
    for row in rows:
        assert row["group_id:id"], f"{row['id']} gives access to everybody"


def test_rules_import_nothing_from_odoo():
    for path in addon_files(".py"):
        if not path.startswith("rules" + os.sep):
            continue
        tree = ast.parse(open(os.path.join(ADDON, path), encoding="utf-8").read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "odoo" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "odoo" and node.level == 0, path


def parse_po(path):
    """msgid -> msgstr of a .po/.pot file (plain entries; context and plurals unused here)."""
    entries, headers = {}, ""
    text = open(path, encoding="utf-8").read()
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        current, parts = None, {"msgid": [], "msgstr": []}
        for line in lines:
            match = re.match(r'(msgid|msgstr|msgctxt)\s+"(.*)"$', line)
            if match:
                current = match.group(1)
                parts.setdefault(current, []).append(match.group(2))
            elif line.startswith('"') and current:
                parts[current].append(line[1:-1])
            elif line.strip():
                raise AssertionError(f"{path}: cannot parse line {line!r}")
        msgid, msgstr = "".join(parts["msgid"]), "".join(parts["msgstr"])
        if msgid == "":
            headers = msgstr
        else:
            entries[msgid] = msgstr
    return headers, entries


I18N = os.path.join(ADDON, "i18n")


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_po_files_parse_and_cover_the_pot(lang):
    _headers, pot = parse_po(os.path.join(I18N, "custmgmt_addon.pot"))
    headers, po = parse_po(os.path.join(I18N, f"{lang}.po"))
    assert f"Language: {lang}" in headers.replace("\\n", "\n")
    assert "Plural-Forms: nplurals=1; plural=0;" in headers
    missing = sorted(set(pot) - set(po))
    assert not missing, f"{lang}.po lacks {len(missing)} msgids, e.g. {missing[:3]}"
    untranslated = sorted(k for k, v in po.items() if k in pot and not v)
    assert not untranslated, f"{lang}.po leaves {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    for msgid, msgstr in po.items():
        placeholders = sorted(re.findall(r"%\(\w+\)[sdf]|%\(\w+\)\.\d+f", msgid))
        assert placeholders == sorted(re.findall(r"%\(\w+\)[sdf]|%\(\w+\)\.\d+f", msgstr)), \
            f"{lang}: placeholders differ in {msgid!r}"


def test_packaging_reads_the_manifest():
    """setup.py takes version and requirements from the manifest (no second list to keep)."""
    assert "openupgradelib" in MANIFEST["external_dependencies"]["python"]
    source = open(os.path.join(ROOT, "setup.py"), encoding="utf-8").read()
    assert "metadata_from_addon_dir" in source
    assert "openupgradelib" not in source and MANIFEST["version"] not in source
    assert "manifestoo-core" in open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8").read()
