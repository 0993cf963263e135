# shellcheck shell=bash
# Helpers shared by scripts/run.sh and scripts/test.sh: find Odoo 18 the way a
# user has it, and reach PostgreSQL through the usual PG* variables.

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

install_hint() {
    cat <<'MSG'
Odoo 18 was not found. Install Odoo 18.0 (Community) so that an `odoo` command is on
PATH, or point ODOO_BIN at its odoo-bin / odoo script, for example:
  - Debian/Ubuntu package: see https://www.odoo.com/documentation/18.0/administration/on_premise/packages.html
  - from source: git clone -b 18.0 --depth 1 https://github.com/odoo/odoo && python3 -m venv venv &&
    venv/bin/pip install -r odoo/requirements.txt && venv/bin/pip install -e odoo --config-settings editable_mode=compat
    then: export ODOO_BIN=$PWD/venv/bin/odoo   (or link it as `odoo` on PATH)
PostgreSQL 12+ must be reachable with the PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD).
MSG
}

# Sets ODOO (the command) or returns 1 with ODOO_MISSING_WHY set.
find_odoo() {
    local candidate="${ODOO_BIN:-}"
    if [ -z "$candidate" ]; then
        candidate=$(command -v odoo 2>/dev/null || command -v odoo-bin 2>/dev/null || true)
    fi
    if [ -z "$candidate" ]; then
        ODOO_MISSING_WHY="no \`odoo\` command on PATH and ODOO_BIN is not set"
        return 1
    fi
    local version
    version=$("$candidate" --version 2>/dev/null | grep -o 'Odoo Server [0-9.]*' | head -n 1)
    case "$version" in
        "Odoo Server 18."*) ODOO="$candidate"; return 0 ;;
        "") ODOO_MISSING_WHY="$candidate did not answer --version like Odoo does"; return 1 ;;
        *) ODOO_MISSING_WHY="$candidate is ${version#Odoo Server }, this addon needs Odoo 18"; return 1 ;;
    esac
}

# The addons path: this repository, ODOO_ADDONS_PATH if given, and the addons
# folders of the Odoo installation (found with the interpreter of the odoo script).
odoo_addons_path() {
    local paths="$repo_root"
    [ -n "${ODOO_ADDONS_PATH:-}" ] && paths="$paths,$ODOO_ADDONS_PATH"
    local shebang python
    shebang=$(head -n 1 "$(command -v "$ODOO")" 2>/dev/null | sed -n 's/^#! *//p')
    read -r python second _rest <<<"$shebang"
    [ "${python##*/}" = env ] && python=${second:-}
    if [ -n "$python" ]; then
        local found
        found=$($python - <<'PY' 2>/dev/null
import os, odoo
root = os.path.dirname(os.path.abspath(odoo.__file__))
print(",".join(p for p in (os.path.join(root, "addons"), os.path.normpath(os.path.join(root, "..", "addons")))
               if os.path.isdir(p)))
PY
)
        [ -n "$found" ] && paths="$paths,$found"
    fi
    echo "$paths"
}

pg_ok() { psql -d "${PGDATABASE:-postgres}" -Atqc 'SELECT 1' >/dev/null 2>&1; }

# Reach PostgreSQL; on a Debian machine where we are root, start the local
# cluster and give the current user a role when that is all that is missing.
ensure_postgres() {
    pg_ok && return 0
    if command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
            [ "$status" = online ] || pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || true
        done
        pg_ok && return 0
        su postgres -c "createuser --superuser $(id -un)" >/dev/null 2>&1 || true
        pg_ok && return 0
    fi
    return 1
}

db_exists() { [ "$(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'" 2>/dev/null)" = 1 ]; }

addon_depends() {
    python3 - "$repo_root/custmgmt_addon/__manifest__.py" <<'PY'
import ast, sys
print(",".join(ast.literal_eval(open(sys.argv[1], encoding="utf-8").read())["depends"]))
PY
}

cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/custmgmt_addon"

# A TCP port nobody listens on now (Odoo's test server, and anything else we start).
free_port() {
    python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

# The Python interpreter that runs the odoo script (its shebang).
odoo_python() {
    local shebang python second _rest
    shebang=$(head -n 1 "$(command -v "$ODOO")" 2>/dev/null | sed -n 's/^#! *//p')
    read -r python second _rest <<<"$shebang"
    [ "${python##*/}" = env ] && python=$(command -v "${second:-python3}")
    echo "${python:-python3}"
}

# ensure_py_tools PYTHON DIR MODULE... : make MODULEs importable by PYTHON, using what it has
# or installing them into DIR (our own cache, put on PYTHONPATH; the user's environments are
# left alone). Prints the PYTHONPATH entry to use (empty when nothing was needed); on failure
# prints the one pip command to run and returns 1.
ensure_py_tools() {
    local python=$1 dir=$2; shift 2
    local missing=() spec module
    for spec in "$@"; do
        module=${spec%%=*}; module=${module%%<*}; module=${module%%>*}; module=${module//-/_}
        PYTHONPATH="$dir${PYTHONPATH:+:$PYTHONPATH}" "$python" -c "import $module" >/dev/null 2>&1 || missing+=("$spec")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        mkdir -p "$dir"
        if ! "$python" -m pip install --quiet --disable-pip-version-check --target "$dir" "${missing[@]}" \
                >"$dir.log" 2>&1; then
            echo "MISSING: ${missing[*]} for $python; install with: $python -m pip install ${missing[*]}" >&2
            return 1
        fi
    fi
    echo "$dir"
}
