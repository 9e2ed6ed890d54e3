package org.vcrecovery.drill;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The pool drill as a PNG (Java2D, headless): over time, the members' load per sample (grey),
 * Zabbix's moving average (red), the grow and shrink thresholds (dashed), the offered load in
 * requests per second (thin green, right scale) and the active members (blue steps, right scale),
 * with the RRset's changes marked. Needs a font (fonts-dejavu-core), as {@link Chart}.
 */
final class PoolChart {
    private static final int W = 1200;
    private static final int H = 560;
    private static final int L = 70;
    private static final int R = 80;
    private static final int T = 40;
    private static final int B = 60;

    private PoolChart() {}

    static void write(List<PoolScenario.Point> points, List<PoolScenario.Change> changes, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double tMax = Math.max(10, points.isEmpty() ? 10 : points.get(points.size() - 1).t());
        double pctMax = 200;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString("pool drill: load (% of one member's capacity, left), active members and offered req/s (right), over seconds", L, 20);
        g.setColor(new Color(0xDDDDDD));
        for (int pct = 0; pct <= pctMax; pct += 25) {
            int y = y(pct, pctMax);
            g.drawLine(L, y, W - R, y);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(L, T, W - L - R, H - T - B);
        for (int pct = 0; pct <= pctMax; pct += 50) g.drawString(pct + " %", 10, y(pct, pctMax) + 4);
        for (int a = 0; a <= 4; a++) g.drawString(a + " / " + (a * 10) + "/s", W - R + 6, y(a * 50, pctMax) + 4);
        for (int s = 0; s <= tMax; s += 10) g.drawString(Integer.toString(s), x(s, tMax) - 6, H - B + 16);
        g.drawString("seconds since the load started", W / 2 - 80, H - B + 34);
        dashed(g, new Color(0xE15759), y(70, pctMax), "grow above 70 %");
        dashed(g, new Color(0x59A14F), y(35, pctMax), "shrink below 35 %");
        for (PoolScenario.Change c : changes) {
            boolean grow = c.to().size() > c.from().size();
            g.setColor(grow ? new Color(0xE15759) : new Color(0x59A14F));
            g.setStroke(new BasicStroke(1));
            int x = x(c.t(), tMax);
            g.drawLine(x, T, x, H - B);
            String label = (grow ? "grow " : "shrink ") + c.from().size() + "->" + c.to().size();
            int w = g.getFontMetrics().stringWidth(label);
            g.drawString(label, x + 3 + w > W - R ? x - 3 - w : x + 3, T + 14);
        }
        series(g, points, tMax, pctMax, new Color(0xAAAAAA), 1, p -> p.sampleMean());
        series(g, points, tMax, pctMax, new Color(0x59A14F), 1, p -> p.rate() * 5); // 10 req/s = 50 units on the right scale
        series(g, points, tMax, pctMax, new Color(0xE15759), 3, p -> p.movingAverage() == null ? Double.NaN : p.movingAverage());
        g.setColor(new Color(0x4E79A7));
        g.setStroke(new BasicStroke(3));
        for (int i = 1; i < points.size(); i++) {
            PoolScenario.Point a = points.get(i - 1);
            PoolScenario.Point b = points.get(i);
            int ya = y(a.actives() * 50, pctMax);
            int yb = y(b.actives() * 50, pctMax);
            g.drawLine(x(a.t(), tMax), ya, x(b.t(), tMax), ya);
            g.drawLine(x(b.t(), tMax), ya, x(b.t(), tMax), yb);
        }
        legend(g);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private interface Value {
        double of(PoolScenario.Point p);
    }

    private static void series(Graphics2D g, List<PoolScenario.Point> points, double tMax, double pctMax, Color c, int width, Value v) {
        g.setColor(c);
        g.setStroke(new BasicStroke(width));
        for (int i = 1; i < points.size(); i++) {
            double a = v.of(points.get(i - 1));
            double b = v.of(points.get(i));
            if (Double.isNaN(a) || Double.isNaN(b)) continue;
            g.drawLine(x(points.get(i - 1).t(), tMax), y(Math.min(a, pctMax), pctMax), x(points.get(i).t(), tMax), y(Math.min(b, pctMax), pctMax));
        }
    }

    private static void dashed(Graphics2D g, Color c, int y, String label) {
        g.setColor(c);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(L, y, W - R, y);
        g.drawString(label, L + 4, y - 3);
    }

    private static void legend(Graphics2D g) {
        String[] names = {"sample mean of the members' load", "Zabbix moving average", "active members", "offered req/s"};
        Color[] colors = {new Color(0xAAAAAA), new Color(0xE15759), new Color(0x4E79A7), new Color(0x59A14F)};
        int x = L;
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, H - 18, 14, 8);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 18, H - 9);
            x += 18 + g.getFontMetrics().stringWidth(names[i]) + 24;
        }
    }

    private static int x(double t, double tMax) {
        return L + (int) Math.round(t / tMax * (W - L - R));
    }

    private static int y(double v, double max) {
        return H - B - (int) Math.round(v / max * (H - T - B));
    }
}
