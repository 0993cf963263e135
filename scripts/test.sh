#!/usr/bin/env bash
# Run every test suite of custmgmt_addon.
#  1. the suites that need no Odoo (tests/: business rules, static checks), with pytest;
#  2. the Odoo suite (custmgmt_addon/tests) in a throwaway database created from a cached
#     template that has the addon's dependencies installed, and dropped afterwards.
# When no Odoo 18 is found, step 2 is reported as skipped and the exit code is that of step 1.
set -u
source "$(dirname "$0")/odoo_env.sh"
cd "$repo_root" || exit 2
status=0

echo "== Suites without Odoo (pytest tests/)"
python3 -m pytest -q -p no:cacheprovider tests
rc=$?
[ $rc -eq 0 ] || status=1

echo
echo "== Odoo suite (custmgmt_addon/tests)"
if ! find_odoo; then
    echo "SKIPPED: Odoo suite not run: $ODOO_MISSING_WHY."
    install_hint | sed 's/^/  /'
    exit $status
fi
if ! ensure_postgres; then
    echo "SKIPPED: Odoo suite not run: Odoo 18 is at $ODOO but PostgreSQL is not reachable (set PGHOST/PGPORT/PGUSER/PGPASSWORD)."
    exit $status
fi

addons_path=$(odoo_addons_path)
depends=$(addon_depends)
template="custmgmt_test_tpl_$(echo "v2 $depends" | md5sum | cut -c1-8)"
# a data dir of our own, so that the template's filestore can be copied with the database
data_dir="${CUSTMGMT_TEST_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/custmgmt_addon/odoo-data}"
mkdir -p "$data_dir/filestore"
log_dir=$(mktemp -d)
# one template build at a time when several runs start together
if command -v flock >/dev/null 2>&1; then exec 9>"$data_dir/template.lock" && flock 9; fi
if ! db_exists "$template"; then
    echo "Building template database $template with: $depends (once; reused by later runs)"
    if ! "$ODOO" -d "$template" --addons-path="$addons_path" --data-dir="$data_dir" -i "$depends" --without-demo=all \
            --stop-after-init --no-http --log-level=warn >"$log_dir/template.log" 2>&1; then
        tail -n 40 "$log_dir/template.log"
        dropdb --if-exists "$template" >/dev/null 2>&1
        echo "odoo: 0 passed, 1 failed"
        exit 1
    fi
fi
if command -v flock >/dev/null 2>&1; then flock -u 9; fi

db="custmgmt_test_$$_$(date +%s)"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1; rm -rf "$log_dir" "${data_dir:?}/filestore/$db"' EXIT
createdb -T "$template" "$db" || { echo "could not create $db from $template"; exit 1; }
[ -d "$data_dir/filestore/$template" ] && cp -a "$data_dir/filestore/$template" "$data_dir/filestore/$db"
echo "Running the Odoo suite in throwaway database $db"
"$ODOO" -d "$db" --addons-path="$addons_path" --data-dir="$data_dir" -i custmgmt_addon --without-demo=all \
    --test-enable --test-tags /custmgmt_addon --stop-after-init --no-http \
    --log-level=test >"$log_dir/odoo.log" 2>&1
odoo_rc=$?
grep -E "(ERROR|CRITICAL|FAIL:|Traceback|AssertionError|odoo.tests.stats|tests when loading|of [0-9]+ tests)" \
    "$log_dir/odoo.log" | grep -v "security risk" | tail -n 200
counts=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log_dir/odoo.log" | tail -n 1)
if [ -n "$counts" ]; then
    read -r failed errors total <<<"$(echo "$counts" | grep -oE '[0-9]+' | tr '\n' ' ')"
    echo "odoo: $((total - failed - errors)) passed, $((failed + errors)) failed"
else
    echo "odoo: no test report found in the log (exit code $odoo_rc); last lines:"
    tail -n 40 "$log_dir/odoo.log"
    odoo_rc=1
fi
[ $odoo_rc -eq 0 ] || status=1
exit $status
