package org.vcrecovery.it.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;

/**
 * A UDP relay on a loopback port in front of the real BIND that plays an attacker who can send
 * datagrams to the client: before relaying each UPDATE it answers it with a forged, unsigned
 * reply of rcode {@code forgedRcode}, and when {@code dropRealUpdateReply} it also swallows
 * BIND's real (signed) reply, as if it were lost. Queries are relayed untouched.
 */
final class ForgingRelay implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress bind;
    private final int forgedRcode;
    private final boolean dropRealUpdateReply;

    ForgingRelay(InetSocketAddress bind, int forgedRcode, boolean dropRealUpdateReply) throws IOException {
        this.bind = bind;
        this.forgedRcode = forgedRcode;
        this.dropRealUpdateReply = dropRealUpdateReply;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::serve, "forging-relay");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    private void serve() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] in = Arrays.copyOf(p.getData(), p.getLength());
                Message request = new Message(in);
                boolean update = request.getHeader().getOpcode() == Opcode.UPDATE;
                if (update) send(forged(request).toWire(), p);
                byte[] real = ask(in);
                if (real != null && !(update && dropRealUpdateReply)) send(real, p);
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    private Message forged(Message request) {
        Message m = new Message(request.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setOpcode(request.getHeader().getOpcode());
        m.getHeader().setRcode(forgedRcode);
        if (request.getQuestion() != null) m.addRecord(request.getQuestion(), Section.ZONE);
        return m;
    }

    private byte[] ask(byte[] request) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(request, request.length, bind));
            DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
            s.receive(reply);
            return Arrays.copyOf(reply.getData(), reply.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private void send(byte[] data, DatagramPacket to) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to.getSocketAddress()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
