#!/usr/bin/env bash
# pool-peer.sh: what `vcr pool grow` does to promote a standby, done by a shell script with dig,
# curl and nsupdate: the peer pool-bench measures vcr against. Same steps, same server, same order:
#   read the RRset -> the standby's HTTP check -> compare-and-swap UPDATE (prerequisite: the exact
#   RRset read) adding the standby -> ask the server until it answers the new RRset.
# No lock, no audit, no parallel start of the next standby, no JSON report (vcr does those).
#
# Usage: pool-peer.sh DNS_HOST DNS_PORT ZONE FQDN TSIG_FILE TTL STANDBY PORT
# Exit: 0 promoted, 7 standby down, 12 not verified, 18 already active.
set -euo pipefail
[ $# -eq 8 ] || { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }
dns=$1 dport=$2 zone=$3 fqdn=$4 key=$5 ttl=$6 standby=$7 port=$8

cur=$(dig +short +norecurse @"$dns" -p "$dport" "$fqdn" A)
case " $(echo $cur) " in *" $standby "*) echo "already active"; exit 18 ;; esac
curl -sS -o /dev/null --max-time 2 "http://$standby:$port/" || { echo "standby down"; exit 7; }
{
    printf 'server %s %s\nzone %s\n' "$dns" "$dport" "$zone"
    for v in $cur; do printf 'prereq yxrrset %s A %s\n' "$fqdn" "$v"; done
    printf 'update add %s %s A %s\nsend\n' "$fqdn" "$ttl" "$standby"
} | nsupdate -k "$key"
new=$(dig +short +norecurse @"$dns" -p "$dport" "$fqdn" A)
case " $(echo $new) " in *" $standby "*) ;; *) echo "not verified"; exit 12 ;; esac
echo "promoted $standby: $(echo $new)"
