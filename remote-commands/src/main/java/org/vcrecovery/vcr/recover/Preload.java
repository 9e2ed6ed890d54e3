package org.vcrecovery.vcr.recover;

import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * Start-up overlap for {@code vcr recover}: while the main thread builds the command's picocli
 * model and reads the config and runbook (~100 ms of a fresh JVM on a 2-core box), daemon
 * threads load and initialise what the first network steps need: Jackson's streaming layer and
 * the HTTP client for the Zabbix maintenance question, dnsjava's tables, its SecureRandom and
 * the JCE's HMAC for the TSIG-signed DNS read. Nothing is sent and nothing is read from disk;
 * a failure here is ignored (the real use reports it).
 */
public final class Preload {
    private Preload() {}

    /** Starts the preloading threads and returns at once. */
    public static void start() {
        ZabbixApi.preload();
        DnsUpdater.preload();
    }
}
