#!/usr/bin/env bash
# Start a local Odoo 18 on 127.0.0.1:8069 (CUSTMGMT_PORT, or -p passed through) with the
# addon and its demo data.
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
# Where Odoo really listens: CUSTMGMT_PORT (default 8069) on 127.0.0.1, unless the arguments
# passed through say otherwise (-p / --http-port / --http-interface; the last one wins, as
# in Odoo's own option parsing).
port="${CUSTMGMT_PORT:-8069}"
host=127.0.0.1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        -p|--http-port|--xmlrpc-port) port="${args[i+1]:-$port}"; i=$((i + 1)) ;;
        --http-port=*|--xmlrpc-port=*) port="${args[i]#*=}" ;;
        -p?*) port="${args[i]#-p}" ;;
        --http-interface|--xmlrpc-interface) host="${args[i+1]:-$host}"; i=$((i + 1)) ;;
        --http-interface=*|--xmlrpc-interface=*) host="${args[i]#*=}" ;;
    esac
done
case "$host" in ''|0.0.0.0|::) url_host=127.0.0.1 ;; *:*) url_host="[$host]" ;; *) url_host=$host ;; esac
echo "Odoo will listen on http://$url_host:$port (login admin / admin on a new database)."
exec "$ODOO" -d "$db" --addons-path="$(odoo_addons_path)" --http-interface=127.0.0.1 \
    --http-port="${CUSTMGMT_PORT:-8069}" --db-filter="^${db}\$" "${install[@]}" "$@"
