"""What the benchmark scripts share: finding Odoo as the project's scripts do
(``odoo`` on PATH or ``ODOO_BIN``) and re-running under its interpreter, the
throwaway database (from the test template when there is one), an
environment on it, the child process that runs the measured job, its peak
memory, and the best of a few runs."""
import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def odoo_command():
    cmd = os.environ.get('ODOO_BIN') or shutil.which('odoo') or shutil.which('odoo-bin')
    if not cmd:
        sys.exit("Odoo 18 not found: put `odoo` on PATH or set ODOO_BIN (see README).")
    return cmd


def odoo_python(cmd):
    with open(cmd, 'rb') as handle:
        first = handle.readline().decode(errors='replace').strip()
    parts = first[2:].split() if first.startswith('#!') else []
    if parts and os.path.basename(parts[0]) == 'env':
        parts = parts[1:]
    return parts[0] if parts else sys.executable


def ensure_odoo_interpreter(script):
    """Find Odoo; re-run ``script`` with Odoo's interpreter unless this one imports odoo."""
    cmd = odoo_command()
    python = odoo_python(cmd)
    try:
        import odoo  # noqa: F401
    except ImportError:
        if os.environ.get('CUSTMGMT_BENCH_REEXEC'):
            sys.exit(f"{python} cannot import odoo")
        os.environ['CUSTMGMT_BENCH_REEXEC'] = '1'
        os.execv(python, [python, os.path.abspath(script)] + sys.argv[1:])
    return cmd, python


def addons_path(python):
    out = subprocess.run([python, '-c', (
        "import os, odoo; r = os.path.dirname(os.path.abspath(odoo.__file__));"
        "print(','.join(p for p in (os.path.join(r, 'addons'), os.path.normpath(os.path.join(r, '..', 'addons')))"
        " if os.path.isdir(p)))")], capture_output=True, text=True, check=True).stdout.strip()
    extra = os.environ.get('ODOO_ADDONS_PATH')
    return ','.join(filter(None, [ROOT, extra, out]))


def psql(sql, db='postgres'):
    return subprocess.run(['psql', '-d', db, '-Atqc', sql], capture_output=True, text=True).stdout.strip()


def drop_database(db):
    """Drop the throwaway database, with the connections this process still holds to it."""
    subprocess.run(['dropdb', '--if-exists', '--force', db], capture_output=True)


def prepare_database(db, cmd, paths):
    """Throwaway database with the addon, from the test template when present."""
    subprocess.run(['dropdb', '--if-exists', db], check=True, capture_output=True)
    manifest = eval(open(os.path.join(ROOT, 'custmgmt_addon', '__manifest__.py'), encoding='utf-8').read())  # noqa: S307
    depends = ','.join(manifest['depends'])
    template = 'custmgmt_test_tpl_' + hashlib.md5(f"v2 {depends}\n".encode()).hexdigest()[:8]
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'") == '1':
        subprocess.run(['createdb', '-T', template, db], check=True)
    print(f"installing custmgmt_addon in {db} ...", flush=True)
    subprocess.run([cmd, '-d', db, f'--addons-path={paths}', '-i', 'custmgmt_addon', '--without-demo=all',
                    '--stop-after-init', '--no-http', '--log-level=warn'], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def env_for(db, paths):
    import odoo
    from odoo import api
    odoo.tools.config.parse_config(['-d', db, f'--addons-path={paths}', '--log-level=warn', '--no-http'])
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


def best_of(repeat, run):
    """``(seconds, result)`` of the fastest of ``repeat`` runs."""
    best = None
    for _n in range(repeat):
        t0 = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - t0
        best = seconds if best is None else min(best, seconds)
    return best, result


def peak_rss_mb():
    """Peak resident memory of this process. VmHWM is that of this process
    alone; ``ru_maxrss`` would also count the parent that spawned it, as Linux
    keeps the high-water mark across exec."""
    try:
        with open('/proc/self/status', encoding='ascii') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(script, phase, args, what):
    """Run ``script --phase phase`` in a child process on ``args.db`` and
    return the JSON it prints last; exit with its error output if it fails."""
    out = subprocess.run([sys.executable, os.path.abspath(script), '--phase', phase, '--db', args.db,
                          '--addons-path', args.addons_path], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{what} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_parser(doc, db):
    """The options every benchmark has: its database, --keep, and the hidden
    ones of its child process."""
    parser = argparse.ArgumentParser(description=doc.split('\n\n')[0])
    parser.add_argument('--db', default=db)
    parser.add_argument('--keep', action='store_true', help="keep the database afterwards")
    parser.add_argument('--phase', default='main', help=argparse.SUPPRESS)
    parser.add_argument('--addons-path', default='', help=argparse.SUPPRESS)
    return parser
