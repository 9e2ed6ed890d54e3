package org.vcrecovery.drill;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The timeline as a PNG (Java2D, headless): one row per run and a median row, each a bar split
 * into the legs from the failure to the acknowledgement, a tick where the client reached the
 * standby, and the drill's targets (its Zabbix version's and mode's, {@link Targets}) as dashed
 * lines. Needs a font (fonts-dejavu-core).
 */
final class Chart {
    private static final Color[] COLORS = {
        new Color(0x999999), new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
        new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7)};
    private static final int LEFT = 150;
    private static final int WIDTH = 1200;
    private static final int ROW = 26;

    private Chart() {}

    static Path pngNextTo(Path json) {
        String n = json.getFileName().toString();
        String base = n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
        return json.resolveSibling(base + ".png");
    }

    static void write(Report r, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = new ArrayList<>();
        List<long[]> rows = new ArrayList<>(); // per row: offsets of each mark (-1 missing), then client
        Map<Mark, Stats> med = r.markStats();
        long[] m = new long[Mark.values().length + 1];
        for (Mark k : Mark.values()) m[k.ordinal()] = med.containsKey(k) ? Math.round(med.get(k).median()) : -1;
        m[m.length - 1] = r.totalStats().map(s -> Math.round(s.median())).orElse(-1L);
        labels.add("median");
        rows.add(m);
        for (RunResult run : r.runs()) {
            long[] v = new long[Mark.values().length + 1];
            for (Mark k : Mark.values()) {
                Instant t = run.marks().get(k);
                v[k.ordinal()] = t == null ? -1 : run.since(t);
            }
            v[v.length - 1] = run.totalMillis() == null ? -1 : run.totalMillis();
            labels.add("run " + run.run() + (run.recovered() ? "" : " FAILED") + (run.vcr().asAsked() ? "" : " NOT SERVED"));
            rows.add(v);
        }
        Targets targets = r.targets();
        List<long[]> lines = new ArrayList<>(); // {ms, 0 median / 1 p95}
        if (targets.medianMs() != null) lines.add(new long[] {targets.medianMs(), 0});
        if (targets.p95Ms() != null) lines.add(new long[] {targets.p95Ms(), 1});
        long maxMs = 0;
        for (long[] l : lines) maxMs = Math.max(maxMs, l[0] + l[0] / 4);
        for (long[] v : rows) for (long x : v) maxMs = Math.max(maxMs, x + Math.max(20, x / 10));
        long step = maxMs <= 1200 ? 100 : maxMs <= 6000 ? 500 : maxMs <= 15000 ? 1000 : 5000;
        maxMs = ((maxMs + step - 1) / step) * step;

        int top = 70;
        int legendTop = top + rows.size() * ROW + 40;
        int height = legendTop + ((Mark.values().length + 2) / 2) * 20 + 30;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        String total = r.totalStats().map(s -> String.format("client reaches standby: median %.0f ms, p95 %d ms", s.median(), s.p95())).orElse("not recovered");
        g.drawString("vcrecovery failover drill: " + r.mode().key() + (r.viaSnmp() ? " (SNMP trap)" : "")
                + (r.serve() ? ", vcr served" : ", vcr fresh JVM") + ", "
                + r.runs().size() + " run(s); " + total, 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotW = WIDTH - LEFT - 30;
        int axisY = top + rows.size() * ROW + 4;
        // grid and axis
        for (long t = 0; t <= maxMs; t += step) {
            int x = LEFT + (int) (t * plotW / maxMs);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(x, top - 6, x, axisY);
            g.setColor(Color.DARK_GRAY);
            String s = String.format("%.1f s", t / 1000.0);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, axisY + 16);
        }
        // targets
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        for (long[] tgt : lines) {
            int x = LEFT + (int) (tgt[0] * plotW / maxMs);
            g.setColor(tgt[1] == 0 ? new Color(0x2E7D32) : new Color(0xC62828));
            g.drawLine(x, top - 12, x, axisY);
            g.drawString((tgt[1] == 0 ? "target median " : "target p95 ") + tgt[0] + " ms", x + 3, top - 14 - 12 * (int) tgt[1]);
        }
        if (lines.isEmpty()) {
            g.setColor(Color.DARK_GRAY);
            g.drawString("no target for " + r.mode().key() + " on Zabbix " + targets.zabbix(), LEFT, top - 14);
        }
        g.setStroke(new BasicStroke(1f));
        // bars
        for (int i = 0; i < rows.size(); i++) {
            long[] v = rows.get(i);
            int y = top + i * ROW;
            g.setColor(Color.BLACK);
            g.drawString(labels.get(i), 10, y + 15);
            long prev = -1;
            for (Mark k : Mark.values()) {
                long t = v[k.ordinal()];
                if (t < 0) {
                    prev = -1;
                    continue;
                }
                if (prev >= 0 && t >= prev) {
                    int x0 = LEFT + (int) (prev * plotW / maxMs);
                    int x1 = LEFT + (int) (t * plotW / maxMs);
                    g.setColor(COLORS[k.ordinal() % COLORS.length]);
                    g.fillRect(x0, y + 3, Math.max(1, x1 - x0), ROW - 8);
                }
                prev = t;
            }
            long client = v[v.length - 1];
            if (client >= 0) {
                int x = LEFT + (int) (client * plotW / maxMs);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(3f));
                g.drawLine(x, y, x, y + ROW - 2);
                g.setStroke(new BasicStroke(1f));
            }
        }
        // legend
        int col = 0;
        int ly = legendTop;
        for (Mark k : Mark.values()) {
            if (k == Mark.INJECTED) continue;
            int x = 10 + col * (WIDTH / 2);
            g.setColor(COLORS[k.ordinal() % COLORS.length]);
            g.fillRect(x, ly - 10, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString("-> " + k.label(), x + 20, ly);
            col++;
            if (col == 2) {
                col = 0;
                ly += 20;
            }
        }
        int x = 10 + col * (WIDTH / 2);
        g.setStroke(new BasicStroke(3f));
        g.drawLine(x + 7, ly - 11, x + 7, ly + 2);
        g.drawString("client reaches the standby by name (DNS + HTTP)", x + 20, ly);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
