"""scripts/run.sh, run against a stand-in `odoo` and `psql`: the URL it prints
is the one Odoo really listens on."""
import os
import re
import stat
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN_SH = os.path.join(ROOT, "scripts", "run.sh")

# a Python script, as odoo-bin is: run.sh reads its interpreter from the shebang
FAKE_ODOO = """#!/usr/bin/env python3
import sys
if sys.argv[1:] == ["--version"]:
    print("Odoo Server 18.0")
else:
    print("ODOO ARGS: " + " ".join(sys.argv[1:]))
"""
# the database answers that the addon is installed: run.sh reuses it
FAKE_PSQL = """#!/bin/sh
case "$*" in
  *ir_module_module*) echo installed ;;
  *) echo 1 ;;
esac
"""


def _script(path, text):
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def run(tmp_path, *args, port=None):
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    _script(bindir / "odoo", FAKE_ODOO)
    _script(bindir / "psql", FAKE_PSQL)
    env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}", ODOO_BIN=str(bindir / "odoo"))
    env.pop("CUSTMGMT_PORT", None)
    if port:
        env["CUSTMGMT_PORT"] = port
    result = subprocess.run(["bash", RUN_SH, *args], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    urls = re.findall(r"http://[^\s)]+", result.stdout)
    odoo_args = re.search(r"ODOO ARGS: (.*)", result.stdout).group(1).split()
    return urls, odoo_args


def _listening_port(odoo_args):
    """The port Odoo takes from its arguments: the last --http-port / -p wins."""
    port = None
    for index, arg in enumerate(odoo_args):
        if arg in ("-p", "--http-port", "--xmlrpc-port"):
            port = odoo_args[index + 1]
        elif arg.startswith(("--http-port=", "--xmlrpc-port=")):
            port = arg.split("=", 1)[1]
        elif arg.startswith("-p") and len(arg) > 2:
            port = arg[2:]
    return port


@pytest.mark.parametrize("args, port, expected", [
    ((), None, "8069"),
    ((), "8070", "8070"),
    (("-p", "8071"), None, "8071"),
    (("-p8072",), "8070", "8072"),
    (("--http-port", "8073"), "8070", "8073"),
    (("--http-port=8074", "-u", "custmgmt_addon"), None, "8074"),
    (("--xmlrpc-port=8075",), None, "8075"),
])
def test_run_prints_the_port_odoo_listens_on(tmp_path, args, port, expected):
    urls, odoo_args = run(tmp_path, *args, port=port)
    assert urls == [f"http://127.0.0.1:{expected}"]
    assert _listening_port(odoo_args) == expected


def test_run_prints_the_interface_passed_through(tmp_path):
    urls, _odoo_args = run(tmp_path, "--http-interface=192.0.2.7", "-p", "8076")
    assert urls == ["http://192.0.2.7:8076"]
