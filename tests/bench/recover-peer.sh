#!/usr/bin/env bash
# recover-peer.sh: the warm-standby recovery that `vcr recover` does, done by a shell script with
# curl, nc (or bash's /dev/tcp when nc is absent), dig and nsupdate: the peer recover-bench
# measures vcr against. Same steps, same servers, same order:
#   maintenance (host.get) -> read the record -> primary proven dead (its port silent)
#   -> standby's HTTP check -> compare-and-swap update -> verify -> event.acknowledge.
# No lock, no dedup, no audit, no JSON report (vcr does those too).
#
# Usage: recover-peer.sh API_URL TOKEN_FILE ZABBIX_HOST PRIMARY STANDBY PORT DNS_HOST DNS_PORT ZONE FQDN TSIG_FILE EVENT_ID
# Exit: 0 recovered, 11 in maintenance, 12 DNS conflict, 8 primary answers, 7 standby down.
set -euo pipefail
[ $# -eq 12 ] || { sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2; }
api=$1 token=$(<"$2") zhost=$3 primary=$4 standby=$5 port=$6 dns=$7 dport=$8 zone=$9 fqdn=${10} key=${11} event=${12}

rpc() { curl -sS --max-time 5 -H 'Content-Type: application/json-rpc' -d "$1" "$api"; }
port_open() { # HOST PORT
    if command -v nc >/dev/null; then nc -z -w 1 "$1" "$2" 2>/dev/null
    else timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; fi
}

m=$(rpc '{"jsonrpc":"2.0","method":"host.get","params":{"output":["hostid","maintenance_status"],"filter":{"host":["'"$zhost"'"]}},"auth":"'"$token"'","id":1}')
case $m in *'"maintenance_status":"1"'*) echo "in maintenance"; exit 11 ;; esac
[ "$(dig +short +norecurse @"$dns" -p "$dport" "$fqdn" A)" = "$primary" ] || { echo "record changed"; exit 12; }
if port_open "$primary" "$port"; then echo "primary still answers"; exit 8; fi
curl -sS -o /dev/null -I --max-time 2 "http://$standby:$port/" || { echo "standby down"; exit 7; }
printf 'server %s %s\nzone %s\nprereq yxrrset %s A %s\nupdate delete %s A\nupdate add %s 30 A %s\nsend\n' \
    "$dns" "$dport" "$zone" "$fqdn" "$primary" "$fqdn" "$fqdn" "$standby" | nsupdate -k "$key"
[ "$(dig +short +norecurse @"$dns" -p "$dport" "$fqdn" A)" = "$standby" ] || { echo "not verified"; exit 12; }
rpc '{"jsonrpc":"2.0","method":"event.acknowledge","params":{"eventids":["'"$event"'"],"action":6,"message":"peer: recovered on '"$standby"'"},"auth":"'"$token"'","id":2}' >/dev/null
echo "recovered on $standby"
