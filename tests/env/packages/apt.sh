# apt helpers for packages/up and zabbix/fetch: install what is missing, retrying only network
# errors, without starting the distribution's copies of the daemons. Sourced after lib.sh.
# shellcheck shell=bash

APT=(apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 -q)
export DEBIAN_FRONTEND=noninteractive

# apt_retry DESCRIPTION CMD...: up to three attempts with backoff while apt's failure looks
# transient (fetch/DNS/connection errors, a held lock); any other failure stops at once.
TRANSIENT='Failed to fetch|Some index files failed|Temporary failure|Could not resolve|Could not connect|Unable to connect|Connection timed out|Connection failed|Hash Sum mismatch|Could not get lock'
apt_retry() {
    local what="$1"; shift
    local attempt out
    for attempt in 1 2 3; do
        if out="$("$@" 2>&1)" && ! grep -qE "^(W|E): ($TRANSIENT)" <<<"$out"; then
            return 0
        fi
        printf '%s\n' "$out" | grep -E '^(W|E):' | grep -v unsandboxed | tail -n 8 >&2
        grep -qE "$TRANSIENT" <<<"$out" || die "$what failed (not a network error; apt's messages are above)"
        ((attempt < 3)) && { log "$what failed (attempt $attempt), retrying in $((attempt * 15))s"; sleep $((attempt * 15)); }
    done
    die "$what failed 3 times: the Debian package registry cannot be reached; the sandbox cannot be installed"
}

# apt_update_once: `apt-get update`, at most once per `up` (the marker lives in its run dir).
apt_update_once() {
    [[ -e $RUN/apt-updated.$VCR_ENV_T0 ]] && return 0
    apt_retry "apt-get update" "${APT[@]}" update
    rm -f "$RUN"/apt-updated.* && touch "$RUN/apt-updated.$VCR_ENV_T0"
}

# The distribution's own copies of daemons we just installed would, at the next boot, listen
# on public addresses (named :53, vsftpd :21, lxc-net's bridge...): ours replace them, so they
# are disabled. Services that were installed before are left alone.
disable_distro_services() {
    local newly="$1" pair pkg unit
    for pair in bind9:named vsftpd:vsftpd postgresql-common:postgresql exim4-base:exim4 snmpd:snmpd \
        snmptrapd:snmptrapd openssh-server:ssh lxc:lxc-net; do
        pkg="${pair%%:*}" unit="${pair#*:}"
        grep -qx "$pkg" <<<"$newly" || continue
        if [[ -d /run/systemd/system ]]; then
            systemctl disable --now --quiet "$unit" 2>/dev/null || true
        elif command -v update-rc.d >/dev/null; then
            update-rc.d "$unit" disable >/dev/null 2>&1 || true
        fi
        log "disabled the distribution's $unit service: the sandbox runs its own daemons on loopback"
    done
}

installed_packages() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort; }

# install_missing PKG...: installs those of PKG that are not installed (--no-remove: never
# replace what the machine already has, e.g. another MTA, behind its back).
install_missing() {
    local missing=() p
    declare -A installed=()
    while read -r p; do installed[$p]=1; done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
        "$@" 2>/dev/null | awk '$1 == "ii" {print $2}')
    for p in "$@"; do [[ -n ${installed[$p]:-} ]] || missing+=("$p"); done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${#missing[@]} missing packages: ${missing[*]}"
    # Keep the distribution's copies of the daemons from starting: ours run on our own ports.
    local policy=/usr/sbin/policy-rc.d own_policy=
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && own_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt_update_once
    local before; before="$(installed_packages)"
    apt_retry "apt-get install" "${APT[@]}" install -y --no-install-recommends --no-remove "${missing[@]}"
    disable_distro_services "$(comm -13 <(echo "$before") <(installed_packages))"
    if [[ -n $own_policy ]]; then rm -f "$policy"; trap - EXIT; fi
    log "packages installed"
}
