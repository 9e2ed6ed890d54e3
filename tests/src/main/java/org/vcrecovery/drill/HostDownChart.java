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
import javax.imageio.ImageIO;

/**
 * The host-down drill's chart (the last run): one row per VM, time since the host was killed on
 * the x axis; grey until the Zabbix problem, yellow until vcr's command started, blue until that
 * VM's DNS switch, green until its name answered on the standby. Vertical lines mark the problem
 * and the command.
 */
final class HostDownChart {
    private static final int LEFT = 70, ROW = 12, TOP = 40, WIDTH = 1100;

    private HostDownChart() {}

    static void write(HostDownRuns r, Path png) throws IOException {
        HostDownRuns.Run run = r.runs().get(r.runs().size() - 1);
        int vms = r.vms();
        long span = 1000;
        for (Instant a : run.answered().values()) span = Math.max(span, HostDownRuns.ms(run.t0(), a));
        span = (span / 1000 + 1) * 1000;
        int height = TOP + vms * ROW + 50;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("Host-down drill: " + vms + " VMs, run " + run.n() + " (Zabbix " + r.zabbix() + "): grey detection, yellow action,"
                + " blue vcr, green client", 10, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        double px = (WIDTH - LEFT - 20) / (double) span;
        Long problem = run.problem() == null ? null : HostDownRuns.ms(run.t0(), run.problem());
        Long command = run.command() == null ? null : HostDownRuns.ms(run.t0(), run.command());
        for (int i = 1; i <= vms; i++) {
            int y = TOP + (i - 1) * ROW;
            g.setColor(Color.DARK_GRAY);
            g.drawString("hd-" + HostDownScene.nn(i), 10, y + ROW - 2);
            long from = 0;
            Long dns = run.dns().containsKey(i) ? HostDownRuns.ms(run.t0(), run.dns().get(i)) : null;
            Long ok = run.answered().containsKey(i) ? HostDownRuns.ms(run.t0(), run.answered().get(i)) : null;
            Long[] ends = {problem, command, dns, ok};
            Color[] colors = {Color.LIGHT_GRAY, new Color(0xF7C948), new Color(0x2774A4), new Color(0x1A7C11)};
            for (int k = 0; k < ends.length; k++) {
                if (ends[k] == null) continue;
                g.setColor(colors[k]);
                g.fillRect(LEFT + (int) (from * px), y + 1, Math.max(1, (int) ((ends[k] - from) * px)), ROW - 2);
                from = ends[k];
            }
        }
        g.setStroke(new BasicStroke(1f));
        int bottom = TOP + vms * ROW;
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, bottom, WIDTH - 20, bottom);
        for (long t = 0; t <= span; t += 1000) {
            int x = LEFT + (int) (t * px);
            g.drawLine(x, bottom, x, bottom + 4);
            g.drawString((t / 1000) + " s", x - 6, bottom + 16);
        }
        g.setColor(Color.RED);
        if (problem != null) g.drawLine(LEFT + (int) (problem * px), TOP, LEFT + (int) (problem * px), bottom);
        if (command != null) g.drawLine(LEFT + (int) (command * px), TOP, LEFT + (int) (command * px), bottom);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
