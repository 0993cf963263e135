#!/usr/bin/env bash
# Run every test suite of custmgmt_addon (what CI runs):
#  1. the suites that need no Odoo (tests/: business rules, static checks), with pytest;
#  2. OCA lint (pylint-odoo, config in .pylintrc);
#  3. the Odoo suite (custmgmt_addon/tests, at-install and post-install tests, browser
#     tests included) in a throwaway database created from a cached template that has the
#     addon's dependencies installed, on a free HTTP port, dropped afterwards;
#  4. the upgrade check: release 18.0.1.0.0 (from git) installed with demo data in a throwaway
#     database, its scheduled actions run over three months, upgraded to the working tree with
#     `-u custmgmt_addon`, and every row, value, open activity and xml id compared
#     (scripts/upgrade_snapshot.py, scripts/upgrade_check.py);
#  5. coverage of custmgmt_addon/ by suites 1 and 3, per file and in total.
# When no Odoo 18 is found, step 3 is reported as skipped and the exit code is that of the others.
#
# Fast loop for developers (pytest-odoo, a kept database updated only when the addon changed):
#   scripts/test.sh --fast [pytest arguments, e.g. -k credit or custmgmt_addon/tests/test_visit.py]
# The upgrade check alone:
#   scripts/test.sh --upgrade
#
# Tools missing from the interpreters (pytest, coverage, pylint-odoo, pytest-odoo) are installed
# into this project's cache (~/.cache/custmgmt_addon), never into the user's environments.
set -u
source "$(dirname "$0")/odoo_env.sh"
cd "$repo_root" || exit 2

py_tools="$cache_dir/py-tools-$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
data_dir="${CUSTMGMT_TEST_DATA_DIR:-$cache_dir/odoo-data}"
work_dir=$(mktemp -d)
odoo_pid=""
dbs_to_drop=()
setsid=$(command -v setsid || true)

cleanup() {
    if [ -n "$odoo_pid" ] && kill -0 "$odoo_pid" 2>/dev/null; then
        kill -TERM "$odoo_pid" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$odoo_pid" 2>/dev/null || break; sleep 1; done
        kill -KILL "$odoo_pid" 2>/dev/null
        wait "$odoo_pid" 2>/dev/null
    fi
    local db
    for db in "${dbs_to_drop[@]}"; do
        dropdb --if-exists --force "$db" >/dev/null 2>&1 || dropdb --if-exists "$db" >/dev/null 2>&1
        rm -rf "${data_dir:?}/filestore/$db"
    done
    rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'echo; echo "Interrupted: stopping Odoo and dropping the test databases."; exit 130' INT TERM

# run_odoo LOGFILE ARGS...: odoo in the background (so that Ctrl-C can stop it), its exit code;
# its standard input is $ODOO_STDIN when set
run_odoo() {
    local log=$1; shift
    # in a session of its own, so that Ctrl-C reaches this script (which stops Odoo and
    # drops its databases) rather than Odoo alone
    $setsid "$@" <"${ODOO_STDIN:-/dev/null}" >"$log" 2>&1 &
    odoo_pid=$!
    wait "$odoo_pid"
    local rc=$?
    odoo_pid=""
    return $rc
}

# the database with the addon's dependencies, built once (under a temporary name, renamed
# when complete, so that an interrupted build is never reused) and copied for each run;
# sets $template
ensure_template() {
    local depends building
    depends=$(addon_depends)
    template="custmgmt_test_tpl_$(echo "v2 $depends" | md5sum | cut -c1-8)"
    mkdir -p "$data_dir/filestore"
    # one template build at a time when several runs start together
    if command -v flock >/dev/null 2>&1; then exec 9>"$data_dir/template.lock" && flock 9; fi
    if ! db_exists "$template"; then
        building="${template}_building"
        dropdb --if-exists "$building" >/dev/null 2>&1
        rm -rf "${data_dir:?}/filestore/$building"
        echo "Building template database $template with: $depends (once; reused by later runs)"
        dbs_to_drop+=("$building")
        if ! run_odoo "$work_dir/template.log" "$ODOO" -d "$building" --addons-path="$addons_path" \
                --data-dir="$data_dir" -i "$depends" --without-demo=all --stop-after-init --no-http \
                --log-level=warn; then
            tail -n 40 "$work_dir/template.log"
            return 1
        fi
        psql -d postgres -qc "ALTER DATABASE \"$building\" RENAME TO \"$template\"" || return 1
        [ -d "$data_dir/filestore/$building" ] && mv "$data_dir/filestore/$building" "$data_dir/filestore/$template"
    fi
    if command -v flock >/dev/null 2>&1; then flock -u 9; exec 9>&-; fi
}

# copy_db TEMPLATE NEW: the database and its filestore
copy_db() {
    createdb -T "$1" "$2" || return 1
    if [ -d "$data_dir/filestore/$1" ]; then cp -a "$data_dir/filestore/$1" "$data_dir/filestore/$2"; fi
}

find_odoo_and_postgres() {
    if ! find_odoo; then
        echo "SKIPPED: Odoo suite not run: $ODOO_MISSING_WHY."
        install_hint | sed 's/^/  /'
        return 1
    fi
    if ! ensure_postgres; then
        echo "SKIPPED: Odoo suite not run: Odoo 18 is at $ODOO but PostgreSQL is not reachable" \
             "(set PGHOST/PGPORT/PGUSER/PGPASSWORD)."
        return 1
    fi
    addons_path=$(odoo_addons_path)
    odoo_py=$(odoo_python)
    odoo_tools="$cache_dir/odoo-tools-$("$odoo_py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
}

# ---------------------------------------------------------------------------
# fast loop
# ---------------------------------------------------------------------------
if [ "${1:-}" = --fast ]; then
    shift
    find_odoo_and_postgres || exit 1
    tools=$(ensure_py_tools "$odoo_py" "$odoo_tools" pytest pytest-odoo) || exit 1
    ensure_template || exit 1
    db="custmgmt_fast_$(echo "$repo_root" | md5sum | cut -c1-8)"
    # the addon's files that an update reads (tests are read by pytest itself)
    sum=$(find custmgmt_addon -type f ! -path '*/tests/*' ! -name '*.pyc' -print0 | sort -z \
          | xargs -0 md5sum | md5sum | cut -c1-32)
    stamp="$data_dir/$db.sum"
    if ! db_exists "$db"; then
        echo "Creating the kept test database $db (once)"
        copy_db "$template" "$db" || exit 1
        rm -f "$stamp"
        mode=(-i custmgmt_addon)
    else
        mode=(-u custmgmt_addon)
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
        echo "The addon changed: ${mode[0]} custmgmt_addon in $db"
        if ! run_odoo "$work_dir/update.log" "$ODOO" -d "$db" --addons-path="$addons_path" \
                --data-dir="$data_dir" "${mode[@]}" --without-demo=all --stop-after-init --no-http; then
            grep -E "ERROR|CRITICAL|Error" "$work_dir/update.log" | tail -n 20
            echo "Updating $db failed (log above); nothing was tested."
            exit 1
        fi
        echo "$sum" >"$stamp"
    else
        echo "The addon did not change since the last fast run: no update of $db"
    fi
    conf="$work_dir/odoo.conf"
    printf '[options]\naddons_path = %s\ndata_dir = %s\ndb_name = %s\nhttp_port = %s\n' \
        "$addons_path" "$data_dir" "$db" "$(free_port)" >"$conf"
    [ $# -gt 0 ] || set -- custmgmt_addon/tests
    case " $* " in *" custmgmt_addon"*) ;; *) set -- custmgmt_addon/tests "$@" ;; esac
    PYTHONPATH="$tools${PYTHONPATH:+:$PYTHONPATH}" "$odoo_py" -m pytest -p no:cacheprovider \
        --odoo-config="$conf" --odoo-database="$db" --odoo-http -q "$@"
    exit $?
fi

# ---------------------------------------------------------------------------
# upgrade check
# ---------------------------------------------------------------------------
# the release before the 18.0.2 architecture step (the check does not depend on a tag)
release_commit=bbd14f086c1072a54f7d6f04bbd053a61aa7844f

upgrade_check() {
    if ! git -C "$repo_root" cat-file -e "$release_commit^{commit}" 2>/dev/null; then
        echo "SKIPPED: upgrade check not run: release commit ${release_commit:0:7} is not in this clone (shallow?)."
        return 0
    fi
    local old="$work_dir/release" odoo_only depends demo_tpl udb dates
    mkdir -p "$old"
    git -C "$repo_root" archive "$release_commit" custmgmt_addon | tar -x -C "$old" || return 1
    odoo_only=${addons_path#"$repo_root",}
    depends=$(git -C "$repo_root" show "$release_commit:custmgmt_addon/__manifest__.py" | python3 -c \
        'import ast,sys; print(",".join(ast.literal_eval(sys.stdin.read())["depends"]))')
    demo_tpl="custmgmt_upgrade_tpl_$(echo "v1 $depends" | md5sum | cut -c1-8)"
    if ! db_exists "$demo_tpl"; then
        echo "Building template database $demo_tpl with demo data: $depends (once; reused by later runs)"
        dbs_to_drop+=("${demo_tpl}_building")
        run_odoo "$work_dir/upgrade_tpl.log" "$ODOO" -d "${demo_tpl}_building" --addons-path="$odoo_only" \
            --data-dir="$data_dir" -i "$depends" --stop-after-init --no-http --log-level=warn \
            || { tail -n 30 "$work_dir/upgrade_tpl.log"; return 1; }
        psql -d postgres -qc "ALTER DATABASE \"${demo_tpl}_building\" RENAME TO \"$demo_tpl\"" || return 1
        [ -d "$data_dir/filestore/${demo_tpl}_building" ] && \
            mv "$data_dir/filestore/${demo_tpl}_building" "$data_dir/filestore/$demo_tpl"
    fi
    udb="custmgmt_upgrade_$$_$(date +%s)"
    dbs_to_drop+=("$udb")
    copy_db "$demo_tpl" "$udb" || return 1
    echo "Installing release ${release_commit:0:7} (18.0.1.0.0) with demo data in $udb"
    run_odoo "$work_dir/upgrade_old.log" "$ODOO" -d "$udb" --addons-path="$old,$odoo_only" --data-dir="$data_dir" \
        -i custmgmt_addon --stop-after-init --no-http --log-level=warn \
        || { tail -n 30 "$work_dir/upgrade_old.log"; return 1; }
    # its scheduled actions on the 1st of the two previous months and today
    dates=$(python3 -c 'import datetime as d; t=d.date.today(); m1=(t.replace(day=1)-d.timedelta(days=1)).replace(day=1); m2=(m1-d.timedelta(days=1)).replace(day=1); print(",".join(map(str,(m2,m1,t))))')
    echo "Running its scheduled actions on $dates"
    ODOO_STDIN=scripts/upgrade_snapshot.py CUSTMGMT_RUN_ENGINES="$dates" CUSTMGMT_SNAPSHOT="$work_dir/before.json" run_odoo "$work_dir/upgrade_snap1.log" \
        "$ODOO" shell -d "$udb" --addons-path="$old,$odoo_only" --data-dir="$data_dir" --no-http --log-level=warn \
        && [ -s "$work_dir/before.json" ] || { tail -n 30 "$work_dir/upgrade_snap1.log"; return 1; }
    grep '^snapshot:' "$work_dir/upgrade_snap1.log" | sed 's/^/  before: /'
    echo "Upgrading $udb to the working tree (-u custmgmt_addon)"
    run_odoo "$work_dir/upgrade_new.log" "$ODOO" -d "$udb" --addons-path="$addons_path" --data-dir="$data_dir" \
        -u custmgmt_addon --stop-after-init --no-http --log-level=info \
        || { grep -E "ERROR|CRITICAL" "$work_dir/upgrade_new.log" | head -n 5; tail -n 25 "$work_dir/upgrade_new.log"; return 1; }
    grep -E "ERROR|CRITICAL" "$work_dir/upgrade_new.log" | head -n 20
    ODOO_STDIN=scripts/upgrade_snapshot.py CUSTMGMT_SNAPSHOT="$work_dir/after.json" run_odoo "$work_dir/upgrade_snap2.log" \
        "$ODOO" shell -d "$udb" --addons-path="$addons_path" --data-dir="$data_dir" --no-http --log-level=warn \
        && [ -s "$work_dir/after.json" ] || { tail -n 30 "$work_dir/upgrade_snap2.log"; return 1; }
    grep '^snapshot:' "$work_dir/upgrade_snap2.log" | sed 's/^/  after:  /'
    python3 scripts/upgrade_check.py "$work_dir/before.json" "$work_dir/after.json"
}

if [ "${1:-}" = --upgrade ]; then
    find_odoo_and_postgres || exit 1
    echo "== Upgrade check (release 18.0.1.0.0 -> working tree)"
    upgrade_check
    exit $?
fi

status=0
cov_dir="$work_dir/coverage"
mkdir -p "$cov_dir"

echo "== Suites without Odoo (pytest tests/)"
if ! tools=$(ensure_py_tools python3 "$py_tools" pytest); then
    echo "FAILED: the suites without Odoo need pytest (see the line above)."
    exit 1
fi
pure_run=(python3)
if ensure_py_tools python3 "$py_tools" coverage >/dev/null; then
    pure_run=(python3 -m coverage run --data-file="$cov_dir/.coverage.pure" --source="$repo_root/custmgmt_addon")
else
    echo "(coverage not measured: see the line above)"
fi
PYTHONPATH="$tools${PYTHONPATH:+:$PYTHONPATH}" "${pure_run[@]}" -m pytest -q -p no:cacheprovider tests || status=1

echo
echo "== OCA lint (pylint-odoo, .pylintrc)"
if lint_tools=$(ensure_py_tools python3 "$py_tools-lint" "pylint-odoo==10.0.12"); then
    if PYTHONPATH="$lint_tools" python3 -m pylint --rcfile=.pylintrc custmgmt_addon; then
        echo "lint: clean"
    else
        echo "lint: 0 passed, 1 failed"
        status=1
    fi
else
    echo "SKIPPED: lint not run (pylint-odoo could not be installed; see the line above)."
fi

echo
echo "== Odoo suite (custmgmt_addon/tests)"
if ! find_odoo_and_postgres; then
    exit $status
fi
cov_run=()
if odoo_cov=$(ensure_py_tools "$odoo_py" "$odoo_tools" coverage); then
    cov_run=(env "PYTHONPATH=$odoo_cov${PYTHONPATH:+:$PYTHONPATH}" "$odoo_py" -m coverage run
             --data-file="$cov_dir/.coverage.odoo" --source="$repo_root/custmgmt_addon")
else
    echo "(coverage of the Odoo suite not measured: see the line above)"
fi
ensure_template || { echo "odoo: 0 passed, 1 failed"; exit 1; }
db="custmgmt_test_$$_$(date +%s)"
dbs_to_drop+=("$db")
copy_db "$template" "$db" || { echo "could not create $db from $template"; exit 1; }
port=$(free_port)
echo "Running the Odoo suite in throwaway database $db (HTTP on 127.0.0.1:$port)"
started=$(date +%s)
run_odoo "$work_dir/odoo.log" "${cov_run[@]}" "$(command -v "$ODOO")" -d "$db" --addons-path="$addons_path" \
    --data-dir="$data_dir" -i custmgmt_addon --without-demo=all --test-enable --test-tags /custmgmt_addon \
    --stop-after-init --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$(free_port)" \
    --log-level=test
odoo_rc=$?
grep -E "(ERROR|CRITICAL|FAIL:|Traceback|AssertionError|odoo.tests.stats|tests when loading|of [0-9]+ tests)" \
    "$work_dir/odoo.log" | grep -v "security risk" | tail -n 200
counts=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$work_dir/odoo.log" | tail -n 1)
if [ -n "$counts" ]; then
    read -r failed errors total <<<"$(echo "$counts" | grep -oE '[0-9]+' | tr '\n' ' ')"
    echo "Odoo suite took $(( $(date +%s) - started )) s"
    odoo_line="odoo: $((total - failed - errors)) passed, $((failed + errors)) failed"
else
    echo "odoo: no test report found in the log (exit code $odoo_rc); last lines:"
    tail -n 40 "$work_dir/odoo.log"
    odoo_line="odoo: 0 passed, 1 failed"
    odoo_rc=1
fi
[ $odoo_rc -eq 0 ] || status=1

echo
echo "== Upgrade check (release 18.0.1.0.0 -> working tree)"
started=$(date +%s)
if upgrade_check; then
    upgrade_line="upgrade check: 1 passed, 0 failed"
else
    upgrade_line="upgrade check: 0 passed, 1 failed"
    status=1
fi
echo "Upgrade check took $(( $(date +%s) - started )) s"

if [ ${#cov_run[@]} -gt 0 ] && [ -f "$cov_dir/.coverage.odoo" ] && [ -f "$cov_dir/.coverage.pure" ]; then
    echo
    echo "== Coverage of custmgmt_addon/ (pure suites + Odoo suite)"
    (cd "$cov_dir" && PYTHONPATH="$tools" python3 -m coverage combine --quiet --data-file=.coverage \
        .coverage.pure .coverage.odoo >/dev/null && \
     PYTHONPATH="$tools" python3 -m coverage report --data-file=.coverage --sort=cover --show-missing --skip-covered \
        --omit='*/tests/*,*/__manifest__.py' | sed "s#$repo_root/##")
fi
echo
echo "$upgrade_line"
echo "$odoo_line"
exit $status
