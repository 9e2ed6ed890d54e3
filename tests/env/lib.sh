# Shared by tests/env/up, its component scripts (*/up), down, status and lxc-service: where the
# sandbox lives, its ports, the Zabbix version, and the few helpers that render configs and
# start, probe and stop daemons. Sourced, never run.
# shellcheck shell=bash

SANDBOX="${VCR_SANDBOX_DIR:-/var/tmp/vcr-sandbox}"
ENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="$SANDBOX/run"          # <component>.pid (+ .exe: the binary the pid must be running)
LOGS="$SANDBOX/log"         # <component>.log (stdout+stderr of the daemon)
SECRETS="$SANDBOX/secrets"  # 0700: passwords, tokens, TSIG keys
CACHE="$SANDBOX/cache"      # survives `down` (only `down --purge` removes it)

# Everything binds to 127.0.0.1; the ports avoid the distribution's defaults.
LOOPBACK=127.0.0.1
PG_PORT=15432
ZBX_SERVER_PORT=20051
ZBX_AGENT_PORT=20050
ZBX_WEB_PORT=18080
ZBX_PROXY_PORT=20061   # the optional active proxy's trapper (proxy/up)
DNS_PORT=15353
SSH_PORT=12222
FTP_PORT=12121
SMTP_PORT=12525
HTTP_PORT=18081

DNS_ZONE=example.test
TSIG_NAME=vcr-sandbox-key
ZBX_AGENT_HOST=vcr-sandbox-agent
ZBX_HOSTGROUP=vcrecovery-sandbox   # no spaces: sandbox.env stays sourceable by bash
ZBX_PROXY_NAME=vcr-sandbox-proxy
LIBVIRT_SOCK="$SANDBOX/libvirt/run/libvirt-sock"
LIBVIRT_URI="test+unix:///default?socket=$LIBVIRT_SOCK"
LXD_DIR="$SANDBOX/lxd"                # the sandbox's own LXD daemon (lxd/up): state, socket, pool
LXD_SOCKET="$LXD_DIR/unix.socket"
LXD_IMAGE=vcr-busybox                 # built locally by lxd/up; lxd/service makes instances of it
LXD_HTTPS_PORT=18443                  # LXD's HTTPS API, on 127.0.0.1 only, for a trusted client certificate

# The order `up` starts components in; `down` stops them in reverse.
COMPONENTS=(postgres zabbix-server zabbix-agent zabbix-web named libvirtd libvirt-hold lxd sshd vsftpd smtp httpd)
# Started only on request (up --proxy, proxy/up); `down` stops them first, `status` lists them when running.
OPTIONAL_COMPONENTS=(zabbix-proxy zabbix-ha1 zabbix-ha2)

# Zabbix: one version runs at a time on the ports above (tests/env/README.md says why). Each
# version's packages are unpacked under $SANDBOX/zabbix/<version>/pkg, pinned in zabbix/versions.
ZABBIX_VERSIONS=(7.0 6.0)
ZABBIX_DEFAULT=7.0
ZBX_ROOT="$SANDBOX/zabbix"
ZBX_ACTIVE="$RUN/zabbix.version"   # the version whose server, agent and frontend were started
zbx_dir() { echo "$ZBX_ROOT/$1"; }                   # configs, pid and socket files of version $1
zbx_pkg() { echo "$ZBX_ROOT/$1/pkg"; }               # its unpacked packages (usr/sbin/zabbix_server...)
zbx_db() { echo "zabbix${1//./}"; }                  # its database: zabbix70, zabbix60
zbx_active() { cat "$ZBX_ACTIVE" 2>/dev/null || true; }
# zbx_version_ok V: V is a version this sandbox knows.
zbx_version_ok() { local v; for v in "${ZABBIX_VERSIONS[@]}"; do [[ $1 == "$v" ]] && return 0; done; return 1; }

# Components run as child processes of `up` share its clock (VCR_ENV_T0) and lock (fd 9).
T0="${VCR_ENV_T0:-$EPOCHSECONDS}"
log() { printf '[env] %3ds %s\n' "$((EPOCHSECONDS - T0))" "$*" >&2; }
die() { printf '[env] ERROR: %s\n' "$*" >&2; exit 1; }

pid_of() { [[ -s "$RUN/$1.pid" ]] && head -n1 "$RUN/$1.pid"; }

# alive PID: the process exists and is not a zombie waiting for a parent that may never reap it.
alive() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ ${stat%% *} != Z ]]
}

# True when the recorded pid of component $1 is alive and still runs the recorded binary
# (a pid left over from a dead session may have been reused by something else).
is_running() {
    local pid exe
    pid="$(pid_of "$1")" || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
    exe="$(cat "$RUN/$1.exe" 2>/dev/null)" || return 1
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$exe" ]]
}

# adopt NAME PIDFILE EXE: when our record of NAME is lost but the daemon's own pid file names a
# live EXE, record that pid (so a second copy is not started on the same data and port).
adopt() {
    local pid
    is_running "$1" && return 0
    pid="$(head -n1 "$2" 2>/dev/null)" || return 0
    [[ "$pid" =~ ^[0-9]+$ && "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$3" ]] || return 0
    echo "$pid" >"$RUN/$1.pid"
    echo "$3" >"$RUN/$1.exe"
}

# start_daemon [--user USER] NAME CMD...: runs CMD (which must stay in the foreground) in its
# own session, as USER if given, output appended to $LOGS/NAME.log, and records its pid. The
# binary is resolved once so is_running can tell our process from a reused pid.
start_daemon() {
    local as=()
    if [[ "$1" == --user ]]; then as=(setpriv --reuid="$2" --regid="$2" --init-groups --); shift 2; fi
    local name="$1"; shift
    local exe; exe="$(readlink -f "$(command -v "$1")")" || die "$name: $1 not found"
    printf '==== %s starting: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$LOGS/$name.log"
    echo "$exe" >"$RUN/$name.exe"
    rm -f "$RUN/$name.pid"
    # The process writes its own pid, then execs the daemon: exact even where setsid has to fork
    # (under job control). No descriptor beyond 2 is inherited: not the lock descriptor 9, and not
    # the one `flock /tmp/vcr-it.lock CMD` holds (3): a daemon keeping that open would hold the
    # machine-wide IT lock for as long as it runs.
    # shellcheck disable=SC2016
    setsid sh -c 'echo $$ >"$0"; exec "$@"' "$RUN/$name.pid" "${as[@]}" "$@" \
        </dev/null >>"$LOGS/$name.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    local deadline=$((SECONDS + 10))
    until [[ -s "$RUN/$name.pid" ]]; do
        ((SECONDS < deadline)) || die "$name: no pid recorded after 10s; see $LOGS/$name.log"
        sleep 0.05
    done
}

# wait_until NAME SECONDS CMD...: polls CMD every 0.2 s; on timeout fails naming the component
# and its log. Also fails early when the component's process died.
wait_until() {
    local name="$1" limit="$2"; shift 2
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        if [[ -s "$RUN/$name.pid" ]] && ! alive "$(pid_of "$name")"; then
            die "$name exited while starting; see $LOGS/$name.log: $(tail -n 3 "$LOGS/$name.log" 2>/dev/null | tr '\n' ' ')"
        fi
        ((SECONDS < deadline)) || die "$name not ready after ${limit}s; see $LOGS/$name.log"
        sleep 0.2
    done
}

# render TEMPLATE OUT [MODE]: writes TEMPLATE with every @NAME@ replaced by the value of the
# shell variable NAME (an unset one is an error); OUT is replaced only when its content changes,
# atomically. Returns 0 when OUT changed, 1 when it was already up to date.
render() {
    local tpl="$1" out="$2" mode="${3:-0644}" line key text=
    while IFS= read -r line || [[ -n $line ]]; do
        while [[ $line =~ @([A-Z][A-Z0-9_]*)@ ]]; do
            key="${BASH_REMATCH[1]}"
            [[ -v $key ]] || die "template $tpl: @$key@ has no value"
            line="${line//@$key@/${!key}}"
        done
        text+="$line"$'\n'
    done <"$tpl"
    [[ -f $out ]] && [[ "$(cat "$out"; echo x)" == "$text"x ]] && return 1
    printf '%s' "$text" >"$out.tmp" && chmod "$mode" "$out.tmp" && mv "$out.tmp" "$out"
}

# need_lock: a component script run on its own takes the sandbox lock that `up` holds for its
# children (they inherit descriptor 9 and VCR_ENV_LOCKED).
need_lock() {
    [[ ${VCR_ENV_LOCKED:-} == "$SANDBOX" ]] && return 0
    mkdir -p "$SANDBOX"
    exec 9>"$SANDBOX/.lock"
    flock -w 900 9 || die "another tests/env script still holds $SANDBOX/.lock after 900s"
    export VCR_ENV_LOCKED="$SANDBOX" VCR_ENV_T0="${VCR_ENV_T0:-$T0}"
    mkdir -p "$RUN" "$LOGS" "$CACHE"
    install -d -m 0700 "$SECRETS"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# banner_is PORT PREFIX: the daemon on 127.0.0.1:PORT greets with a line starting with PREFIX.
banner_is() {
    local line
    exec 3<>"/dev/tcp/$LOOPBACK/$1" || return 1
    IFS= read -r -t 3 line <&3 || { exec 3<&-; return 1; }
    exec 3<&-
    [[ $line == "$2"* ]]
}

# The newest installed PostgreSQL's bin directory, or empty before postgresql is installed (a
# fresh machine: `up` looks again after installing packages). Never fails: every script
# sources this file under `set -euo pipefail`, where a failed ls would end it silently.
find_pg_bin() { { ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true; } | sort -V | tail -n1; }
PG_BIN="$(find_pg_bin)"
PG_SOCK="$SANDBOX/pg/sock"
PG_DATA="$SANDBOX/pg/data"
# pg TOOL ARGS...: a PostgreSQL client tool as the postgres user, on the sandbox's cluster.
pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$PG_BIN/$1" -h "$PG_SOCK" -p "$PG_PORT" "${@:2}"; }
API_URL="http://$LOOPBACK:$ZBX_WEB_PORT/api_jsonrpc.php"
# lxd_api METHOD PATH [JSON]: one request to the sandbox's LXD; prints the answer, fails on an error.
lxd_api() { curl -sf --max-time 30 --unix-socket "$LXD_SOCKET" -X "$1" ${3:+-H 'Content-Type: application/json' -d "$3"} "http://lxd$2"; }

# probe NAME: the component answers on its endpoint the way its clients need.
probe() {
    case "$1" in
        postgres) "$PG_BIN/pg_isready" -q -h "$PG_SOCK" -p "$PG_PORT" ;;
        zabbix-server) port_open "$LOOPBACK" "$ZBX_SERVER_PORT" ;;
        zabbix-agent) port_open "$LOOPBACK" "$ZBX_AGENT_PORT" ;;
        zabbix-proxy) port_open "$LOOPBACK" "$ZBX_PROXY_PORT" ;;
        zabbix-ha1 | zabbix-ha2) alive "$(pid_of "$1")" ;;   # a standby node does not listen
        zabbix-web) curl -sf --max-time 10 -H 'Content-Type: application/json-rpc' \
            -d '{"jsonrpc":"2.0","method":"apiinfo.version","params":[],"id":1}' "$API_URL" | grep -q '"result"' ;;
        named) [[ -n "$(dig +short +time=1 +tries=1 -p "$DNS_PORT" "@$LOOPBACK" "$DNS_ZONE" SOA)" ]] ;;
        libvirtd) virsh -c "$LIBVIRT_URI" version ;;
        libvirt-hold) virsh -c "$LIBVIRT_URI" list --all ;;  # virsh event exits when its connection drops
        lxd) lxd_api GET /1.0 | grep -q '"auth":"trusted"' ;;
        sshd) banner_is "$SSH_PORT" SSH- ;;
        vsftpd) banner_is "$FTP_PORT" 220 ;;
        smtp) banner_is "$SMTP_PORT" 220 ;;
        httpd) port_open "$LOOPBACK" "$HTTP_PORT" ;;
        *) return 1 ;;
    esac
}

# stop_component NAME [SECONDS]: TERM the recorded pid, KILL after the deadline, then clear
# whatever is left of its process group (daemons run as session leaders).
stop_component() {
    local name="$1" limit="${2:-20}" pid
    if is_running "$name"; then
        pid="$(pid_of "$name")"
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + limit))
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        if alive "$pid"; then
            log "$name: still alive after ${limit}s, sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        kill -TERM -- "-$pid" 2>/dev/null || true
        # A child stopped by SIGSTOP (ServerHaRecoveryIT freezes a node's escalators) acts on that TERM only once
        # continued; one that outlives its killed parent (a Zabbix server's HA manager, still renewing its node's
        # lease; a stopped escalator, still holding the trapper's listening socket) is killed after 5 s.
        kill -CONT -- "-$pid" 2>/dev/null || true
        deadline=$((SECONDS + 5))
        while kill -0 -- "-$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid" "$RUN/$name.exe"
}
