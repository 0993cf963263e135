#!/usr/bin/env bash
# Start a local Odoo 18 on 127.0.0.1:8069 with the addon and its demo data.
# The database (default custmgmt_demo, or CUSTMGMT_DB) is created when missing and reused
# when present. Extra arguments go to odoo (e.g. -u custmgmt_addon after pulling changes).
set -u
source "$(dirname "$0")/odoo_env.sh"
db="${CUSTMGMT_DB:-custmgmt_demo}"
if ! find_odoo; then
    echo "Cannot start: $ODOO_MISSING_WHY." >&2
    install_hint >&2
    exit 1
fi
if ! ensure_postgres; then
    echo "Cannot start: PostgreSQL is not reachable; set PGHOST/PGPORT/PGUSER/PGPASSWORD." >&2
    exit 1
fi
install=()
state=$(psql -d "$db" -Atqc "SELECT state FROM ir_module_module WHERE name = 'custmgmt_addon'" 2>/dev/null)
if [ "$state" != installed ]; then
    echo "Database $db: installing custmgmt_addon with demo data (first start takes a few minutes)."
    install=(-i custmgmt_addon)
else
    echo "Database $db: reusing it (custmgmt_addon installed)."
fi
echo "Odoo will listen on http://127.0.0.1:8069 (login admin / admin on a new database)."
exec "$ODOO" -d "$db" --addons-path="$(odoo_addons_path)" --http-interface=127.0.0.1 \
    --http-port="${CUSTMGMT_PORT:-8069}" --db-filter="^${db}\$" "${install[@]}" "$@"
