package org.vcrecovery.zabbix.api;

/** What {@code script.execute} returned: {@code response} "success" or "failed", and the script's output. */
public record ScriptResult(String response, String value) {
    public boolean success() {
        return "success".equals(response);
    }
}
