# warm-fixture.sh: sourced by recover-bench and tests/cds-classlist: the warm-standby recovery both
# run against the sandbox. Uses the caller's variables zhost primary standby port server (HOST:PORT)
# zone fqdn key (TSIG file) api token_file.

# warm_fixture DIR SERVICE [STATE_DIR]: DIR/rb/SERVICE.yaml, a runbook whose primary is proven dead
# by its silent port and whose warm standby is an HTTP server at $standby:$port, and DIR/vcr.yaml
# (the sandbox's Zabbix by token, those runbooks, STATE_DIR when given).
warm_fixture() {
    mkdir -p "$1/rb"
    cat >"$1/rb/$2.yaml" <<YAML
service: $2
zabbix-host: $zhost
primary:
  address: $primary
standbys:
  - name: warm
    kind: warm-container
    backend: lxc
    address: $standby
checks:
  - protocol: http
    port: $port
    timeout: 1s
dns:
  server: $server
  zone: $zone
  name: $fqdn
  tsig-file: $key
fencing:
  mode: verify-dead
YAML
    cat >"$1/vcr.yaml" <<YAML
zabbix:
  url: $api
  token-file: $token_file
  version: "6.0"
runbooks: $1/rb
${3:+state-dir: $3}
YAML
}

# dns_point_at VALUE: the fixture's record holds VALUE alone (nsupdate, outside what is measured).
dns_point_at() {
    printf 'server %s %s\nzone %s\nupdate delete %s A\nupdate add %s 30 A %s\nsend\n' \
        "${server%:*}" "${server##*:}" "$zone" "$fqdn" "$fqdn" "$1" | nsupdate -k "$key"
}
