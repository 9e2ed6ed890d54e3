package org.vcrecovery.listener.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trap ingestion benchmark (run it through {@code tests/bench/trap-bench}).
 *
 * <p>Part 1: vcr-trap-listener as a subprocess ({@code -Xmx128m}, fsync'd spool on disk) fed
 * by {@link TrapGenerator} over loopback, sending to a {@link FakeTrapper}; a ladder of rates,
 * each held for a few seconds; per rate: traps lost, per-VM order violations, p50/p99 latency
 * from the generator's send to the value's arrival at the trapper (same clock), and the
 * listener's peak heap use (jstat). Part 2, same run: the original pipeline — snmptrapd with a
 * traphandle running {@code zabbix_sender} per trap — offered fixed rates, counting what arrives.
 */
public final class TrapBench {
    private static final int VMS = 100;

    private final Path work;
    private int[] rates = {10000, 20000, 40000, 80000};
    private int seconds = 5;
    private int[] snmptrapdRates = {100, 425};
    private int snmptrapdSeconds = 5;
    private int warmupSeconds = 5;
    private boolean fsync = true;
    private int nice = -5; // as the shipped systemd unit runs it

    private TrapBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = null;
        TrapBench b = null;
        List<String> a = Arrays.asList(args);
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals("--work")) work = Path.of(a.get(++i));
        }
        if (work == null) work = Files.createTempDirectory(Path.of("/var/tmp"), "trap-bench");
        b = new TrapBench(work);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--rates" -> b.rates = ints(a.get(++i));
                case "--seconds" -> b.seconds = Integer.parseInt(a.get(++i));
                case "--snmptrapd-rates" -> b.snmptrapdRates = ints(a.get(++i));
                case "--snmptrapd-seconds" -> b.snmptrapdSeconds = Integer.parseInt(a.get(++i));
                case "--warmup-seconds" -> b.warmupSeconds = Integer.parseInt(a.get(++i));
                case "--no-fsync" -> b.fsync = false;
                case "--listener-nice" -> b.nice = Integer.parseInt(a.get(++i));
                case "--work" -> i++;
                default -> throw new IllegalArgumentException("unknown option " + a.get(i));
            }
        }
        System.out.println("(w) = JIT warm-up, not counted; latency = generator send -> fake trapper receipt, same clock");
        System.out.println("trap-bench: work dir " + work + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        b.listener();
        b.snmptrapd();
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.split(",")).filter(x -> !x.isBlank()).mapToInt(Integer::parseInt).toArray();
    }

    // ---- part 1: vcr-trap-listener -------------------------------------------------------

    private volatile long[] sentAt = new long[0];
    private final AtomicInteger[] perVm = new AtomicInteger[VMS];
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger orderErrors = new AtomicInteger();
    private volatile long[] latency = new long[0];

    private void onValue(String host, String key, String value, long arrived) {
        if (!key.startsWith("vcr.vm.state[bench")) return;
        int k = Integer.parseInt(key.substring("vcr.vm.state[bench".length(), key.length() - 1));
        int j = perVm[k].getAndIncrement();
        int i = j * VMS + k;
        long[] sent = sentAt;
        if (i < sent.length) {
            latency[i] = arrived - sent[i];
            if (!value.equals(Integer.toString(TrapGenerator.stateOf(i, VMS)))) orderErrors.incrementAndGet();
        } else {
            orderErrors.incrementAndGet();
        }
        received.incrementAndGet();
    }

    private void listener() throws Exception {
        for (int i = 0; i < VMS; i++) perVm[i] = new AtomicInteger();
        Path spool = work.resolve("spool");
        Path yaml = work.resolve("bench.yaml");
        // The community is a secret: it lives in the config file, which must be private (mode 0600).
        Files.writeString(yaml, "snmp:\n  communities: [bench]\n  sources: [127.0.0.1]\n"
                + "self-monitoring:\n  interval: 0\nspool:\n  max-bytes: 1GiB\n  fsync: " + fsync + "\n");
        Files.setPosixFilePermissions(yaml, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        int snmpPort = freeUdpPort();
        try (FakeTrapper trapper = new FakeTrapper(this::onValue)) {
            Path log = work.resolve("listener.log");
            List<String> cmd = new ArrayList<>(List.of("nice", "-n", Integer.toString(nice),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC"));
            String extra = System.getenv("LISTENER_JAVA_OPTS"); // e.g. a JFR recording while tuning
            if (extra != null && !extra.isBlank()) cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "org.vcrecovery.listener.TrapListener", "--config", yaml.toString(),
                    "--snmp-listen", "127.0.0.1:" + snmpPort, "--zabbix", "127.0.0.1:" + trapper.port(),
                    "--default-host", "bench", "--spool", spool.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.readString(log).contains("started:")) {
                    if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("listener did not start: " + Files.readString(log));
                    Thread.sleep(50);
                }
                HeapSampler heap = new HeapSampler(p.pid());
                TrapGenerator gen = new TrapGenerator("bench", VMS, "bench");
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), snmpPort);
                System.out.println();
                System.out.println("vcr-trap-listener (-Xmx128m, SerialGC, spool fsync " + fsync + ", nice " + nice + " as in its systemd unit) -> fake trapper, " + VMS + " VMs, " + seconds + " s per rate");
                System.out.println("  offered/s  sent     arrived  lost  order-errors  p50 ms  p99 ms  max ms  listener CPU (cores)");
                int best = 0;
                List<Integer> ladder = new ArrayList<>();
                if (warmupSeconds > 0) ladder.add(-2000); // JIT warm-up at 2,000/s, reported but not counted
                for (int r : rates) ladder.add(r);
                for (int signedRate : ladder) {
                    boolean warmup = signedRate < 0;
                    int rate = Math.abs(signedRate);
                    int seconds = warmup ? warmupSeconds : this.seconds;
                    int count = rate * seconds;
                    for (AtomicInteger c : perVm) c.set(0);
                    received.set(0);
                    orderErrors.set(0);
                    latency = new long[count];
                    sentAt = new long[count];
                    long cpu0 = cpuTicks(p.pid());
                    long t0 = System.nanoTime();
                    gen.run(target, rate, sentAt); // a value arrives only after its trap was sent and stamped
                    waitDrained(count, 10);
                    double cores = (cpuTicks(p.pid()) - cpu0) / 100.0 / ((System.nanoTime() - t0) / 1e9);
                    int got = received.get();
                    long[] lat = Arrays.copyOf(latency, count);
                    Arrays.sort(lat);
                    int lost = count - got;
                    System.out.printf(Locale.ROOT, "  %9s  %7d  %7d  %4d  %12d  %6.1f  %6.1f  %6.1f  %5.2f%n", rate + (warmup ? "(w)" : ""), count, got,
                            Math.max(0, lost), orderErrors.get(), pct(lat, count - got, 0.50), pct(lat, count - got, 0.99), lat[count - 1] / 1e6, cores);
                    if (warmup) continue;
                    if (lost == 0 && orderErrors.get() == 0) best = rate;
                    else break;
                }
                System.out.printf(Locale.ROOT, "  highest rate with zero loss: %d traps/s; listener heap max used: %.1f MiB (limit 128)%n",
                        best, heap.maxUsedKb() / 1024.0);
                System.out.printf(Locale.ROOT, "  load average during the run: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
                heap.stop();
            } finally {
                p.destroy(); // SIGTERM: the listener's clean stop
                p.waitFor(20, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }

    /** utime + stime of a process in clock ticks (100/s), from /proc. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Latency percentile in ms; values never received count as infinitely late. */
    private static double pct(long[] sorted, int missing, double q) {
        int n = sorted.length;
        int idx = (int) Math.ceil(q * n) - 1;
        if (idx >= n - missing) return Double.POSITIVE_INFINITY;
        return sorted[idx + missing] / 1e6; // missing entries are the zeros at the front
    }

    private void waitDrained(int count, int idleSeconds) throws InterruptedException {
        int last = -1;
        long idleSince = System.nanoTime();
        while (received.get() < count) {
            int now = received.get();
            if (now != last) {
                last = now;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(idleSeconds)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Peak heap use of a JVM from {@code jstat -gc} (S0U+S1U+EU+OU). */
    static final class HeapSampler {
        private final Process jstat;
        private final AtomicLong max = new AtomicLong();

        HeapSampler(long pid) throws IOException {
            jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "200").redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream()))) {
                    String header = r.readLine();
                    if (header == null) return;
                    List<String> cols = Arrays.asList(header.trim().split("\\s+"));
                    String line;
                    while ((line = r.readLine()) != null) {
                        String[] v = line.trim().split("\\s+");
                        if (v.length != cols.size() || v[0].equals(cols.get(0))) continue;
                        double used = 0;
                        for (String c : List.of("S0U", "S1U", "EU", "OU")) used += Double.parseDouble(v[cols.indexOf(c)]);
                        max.accumulateAndGet((long) used, Math::max);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // jstat ended with the listener
                }
            }, "jstat");
            t.setDaemon(true);
            t.start();
        }

        long maxUsedKb() {
            return max.get();
        }

        void stop() {
            jstat.destroy();
        }
    }

    // ---- part 2: snmptrapd + traphandle + zabbix_sender per trap ----------------------------

    private void snmptrapd() throws Exception {
        AtomicInteger got = new AtomicInteger();
        AtomicLong lastArrival = new AtomicLong();
        try (FakeTrapper trapper = new FakeTrapper((h, k, v, t) -> {
            if (k.startsWith("vcr.vm.state[")) {
                got.incrementAndGet();
                lastArrival.set(t);
            }
        })) {
            int port = freeUdpPort();
            Path handler = work.resolve("traphandle.sh");
            Files.writeString(handler, """
                    #!/bin/bash
                    # snmptrapd traphandle: one zabbix_sender per trap, as the original system did.
                    read -r host; read -r ip
                    name=; state=
                    while read -r oid val; do
                      case "$oid" in
                        *36957.1.1.1.2*) name=${val//\\"/} ;;
                        *36957.1.1.1.3*) state=$val ;;
                      esac
                    done
                    exec zabbix_sender -z 127.0.0.1 -p %d -s bench -k "vcr.vm.state[$name]" -o "$state" >/dev/null 2>&1
                    """.formatted(trapper.port()));
            Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwx------"));
            Path conf = work.resolve("snmptrapd.conf");
            Files.writeString(conf, "authCommunity log,execute bench\ndisableAuthorization no\ntraphandle default " + handler + "\n");
            Path log = work.resolve("snmptrapd.log");
            Process d = new ProcessBuilder("snmptrapd", "-f", "-On", "-C", "-c", conf.toString(), "-Lf", log.toString(),
                    "udp:127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(work.resolve("snmptrapd.out").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.exists(log) || !Files.readString(log).contains("NET-SNMP version")) {
                    if (!d.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("snmptrapd did not start");
                    Thread.sleep(50);
                }
                TrapGenerator gen = new TrapGenerator("bench", VMS, "bench");
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                System.out.println();
                System.out.println("original pipeline: snmptrapd + traphandle (bash) + zabbix_sender per trap -> fake trapper, " + snmptrapdSeconds + " s per rate");
                System.out.println("  offered/s  sent   arrived  lost    delivered/s");
                for (int rate : snmptrapdRates) {
                    int count = rate * snmptrapdSeconds;
                    got.set(0);
                    long start = System.nanoTime();
                    gen.run(target, rate, new long[count]);
                    int last = -1;
                    long idleSince = System.nanoTime();
                    while (got.get() < count) {
                        if (got.get() != last) {
                            last = got.get();
                            idleSince = System.nanoTime();
                        } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(3)) {
                            break;
                        }
                        Thread.sleep(50);
                    }
                    int n = got.get();
                    double secs = (lastArrival.get() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "  %9d  %5d  %7d  %5.1f%%  %10.1f%n", rate, count, n, 100.0 * (count - n) / count, n / Math.max(secs, 1e-9));
                }
            } finally {
                d.destroy();
                d.waitFor(5, TimeUnit.SECONDS);
                d.destroyForcibly();
            }
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
