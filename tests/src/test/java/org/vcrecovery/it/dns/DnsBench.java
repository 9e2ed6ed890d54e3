package org.vcrecovery.it.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;

/**
 * The library's own speed against a real server (run by {@code tests/bench/dns-bench}, not by
 * the test plugins): single signed update latency (median, p95), sequential updates per second,
 * and update + verify latency. Args: SERVER(host:port) ZONE KEYFILE [N].
 */
public final class DnsBench {
    private DnsBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DnsBench HOST:PORT ZONE KEYFILE [N]");
            System.exit(2);
        }
        int colon = args[0].lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1)));
        String zone = args[1];
        TsigKey key = TsigKey.fromFile(Path.of(args[2]));
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        String name = BindProbe.uniqueLabel("bench");
        DnsUpdater u = DnsUpdater.builder().server(server).tsigKey(key).timeout(Duration.ofSeconds(2)).retries(1).build();

        for (int i = 0; i < Math.min(50, n); i++) check(u.update(change(zone, name, i)));

        long[] update = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            check(u.update(change(zone, name, i)));
            update[i] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        int m = Math.max(1, n / 4);
        long[] both = new long[m];
        for (int i = 0; i < m; i++) {
            DnsChange c = change(zone, name, i + 1);
            long s = System.nanoTime();
            check(u.update(c));
            VerifyResult v = u.verify(c, Duration.ofSeconds(2));
            if (!v.matched()) throw new IllegalStateException(v.message());
            both[i] = System.nanoTime() - s;
        }
        System.out.printf("library_update_median_ms=%.2f%n", pct(update, 50));
        System.out.printf("library_update_p95_ms=%.2f%n", pct(update, 95));
        System.out.printf("library_updates_per_s=%.0f%n", n / seconds);
        System.out.printf("library_update_verify_median_ms=%.2f%n", pct(both, 50));
        System.out.printf("library_update_verify_p95_ms=%.2f%n", pct(both, 95));
        System.out.printf("library_n=%d%nlibrary_name=%s.%s.%n", n, name, zone);
    }

    private static DnsChange change(String zone, String name, int i) {
        return DnsChange.of(zone, name, RecordType.A, 30, "127.0.10." + (2 + i % 2));
    }

    private static void check(UpdateResult r) {
        if (!r.applied()) throw new IllegalStateException(r.outcome() + ": " + r.message());
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))] / 1e6;
    }
}
