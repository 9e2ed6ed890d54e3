# A minimal Zabbix API client for zabbix/up (curl + jq), for 6.0 and 7.0 alike: credentials go
# in the Authorization header from 6.4 on (the body's `auth` is deprecated in 7.0, gone in 7.2),
# in the body before. Sourced after lib.sh.
# shellcheck shell=bash

ZAPI_BEARER=   # set by zapi_detect: 1 when the server takes "Authorization: Bearer"

# zapi METHOD PARAMS_JSON [AUTH]: prints the JSON result; fails with the API's error.
zapi() {
    local body reply a="${3:-}" bearer=
    if [[ -n $a && -n $ZAPI_BEARER ]]; then bearer="$a"; a=; fi
    body="$(jq -cn --arg m "$1" --argjson p "$2" --arg a "$a" \
        '{jsonrpc: "2.0", method: $m, params: $p, id: 1} + (if $a == "" then {} else {auth: $a} end)')"
    # Body and header go through stdin and a descriptor: no secret shows in the process list.
    reply="$(curl -sS --max-time 60 -H 'Content-Type: application/json-rpc' \
        -H @<(if [[ -n $bearer ]]; then printf 'Authorization: Bearer %s\n' "$bearer"; fi) \
        --data-binary @- "$API_URL" <<<"$body")" || { echo "Zabbix API $1: no answer from $API_URL" >&2; return 1; }
    jq -ce 'if has("result") then .result else ("Zabbix API '"$1"' failed: " + (.error // . | tojson) + "\n" | halt_error(1)) end' <<<"$reply"
}

api_version() { zapi apiinfo.version '[]' | jq -r .; }

# zapi_detect: asks the version (no credentials needed) and picks how to send credentials.
zapi_detect() {
    local v; v="$(api_version)" || return 1
    ZAPI_BEARER=
    [[ "$(printf '%s\n6.4\n' "${v%.*}" | sort -V | head -n1)" == 6.4 ]] && ZAPI_BEARER=1
    echo "$v"
}
