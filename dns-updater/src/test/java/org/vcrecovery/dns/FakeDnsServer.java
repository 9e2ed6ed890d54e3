package org.vcrecovery.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * A scripted DNS server on an ephemeral loopback port, UDP and TCP on the same port number. The
 * {@link Handler} sees each request (and whether it came over TCP) and returns the reply bytes, or
 * null to stay silent. Every request is recorded for {@link #takeRequest()}. A {@link #spoof}
 * handler plays an off-path forger: its datagram goes out before the real reply, from the same
 * address (what a forged source address looks like to the client).
 */
final class FakeDnsServer implements AutoCloseable {
    interface Handler {
        byte[] reply(Message request, byte[] wire, boolean tcp) throws IOException;
    }

    record Received(Message message, boolean tcp) {}

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Handler handler;
    private volatile Handler spoof;

    FakeDnsServer(Handler handler) throws IOException {
        this.handler = handler;
        InetAddress lo = InetAddress.getLoopbackAddress();
        ServerSocket ss = null;
        DatagramSocket ds = null;
        for (int i = 0; i < 20 && ds == null; i++) {
            ss = new ServerSocket(0, 50, lo);
            try {
                ds = new DatagramSocket(new InetSocketAddress(lo, ss.getLocalPort()));
            } catch (SocketException e) {
                ss.close(); // UDP port taken: try another pair
            }
        }
        if (ds == null) throw new IOException("no free UDP+TCP port pair");
        this.tcp = ss;
        this.udp = ds;
        start(this::serveUdp, "fake-dns-udp");
        start(this::serveTcp, "fake-dns-tcp");
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    void handler(Handler h) {
        this.handler = h;
    }

    /** Sends {@code h}'s datagram (when not null) before each UDP reply of the handler. */
    void spoof(Handler h) {
        this.spoof = h;
    }

    Received takeRequest() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no request arrived within 5 s");
        return r;
    }

    int requestCount() {
        return received.size();
    }

    /** A reply skeleton for {@code request}: same ID and opcode, QR set, question copied. */
    static Message replyTo(Message request, int rcode) {
        Message m = new Message(request.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setOpcode(request.getHeader().getOpcode());
        m.getHeader().setRcode(rcode);
        if (request.getQuestion() != null) m.addRecord(request.getQuestion(), Section.QUESTION);
        return m;
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] in = Arrays.copyOf(p.getData(), p.getLength());
                Handler forger = spoof;
                byte[] forged = forger == null ? null : forger.reply(new Message(in), in, false);
                if (forged != null) udp.send(new DatagramPacket(forged, forged.length, p.getSocketAddress()));
                byte[] out = handle(in, false);
                if (out != null) udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (udp.isClosed()) return;
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] req = new byte[in.readUnsignedShort()];
                in.readFully(req);
                byte[] out = handle(req, true);
                if (out == null) {
                    in.read(); // stay silent until the client gives up and closes
                    continue;
                }
                OutputStream os = s.getOutputStream();
                os.write(new byte[] {(byte) (out.length >>> 8), (byte) out.length});
                os.write(out);
                os.flush();
            } catch (IOException e) {
                if (tcp.isClosed()) return;
            }
        }
    }

    private byte[] handle(byte[] in, boolean overTcp) throws IOException {
        Message m = new Message(in);
        received.add(new Received(m, overTcp));
        return handler.reply(m, in, overTcp);
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
