package org.vcrecovery.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request, one reply: UDP first, TCP when the reply is truncated (TC) or the request does
 * not fit a datagram; each attempt waits {@code timeout}, and only timeouts are retried (the same
 * bytes and ID, so a late reply to an earlier attempt still counts). Blocking sockets on the
 * caller's thread: no selector thread or pool to start in a short-lived process.
 *
 * <p>The request is TSIG-signed here when a key is given, and then only a reply whose TSIG
 * verifies against it counts: anyone who can send a datagram to our port can forge an unsigned
 * "NXRRSET" or "REFUSED". Such a reply is ignored ("unsigned reply ignored") and the wait goes
 * on for the real one; when none comes, the exchange fails with {@link Outcome#UNVERIFIED},
 * whose message says what the ignored reply claimed (a genuine BADKEY/BADSIG answer from the
 * server is unsigned too, RFC 8945 5.3.2, so that is how a wrong key shows).
 */
final class Transport {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final int UDP_DEFAULT = 512;

    /** The reply, its wire bytes, how it came, and its TSIG state (null record: unsigned). */
    record Exchange(Message response, boolean tcp, int attempts, boolean verified, TSIGRecord tsig, long nanos) {
        int tsigError() {
            return tsig == null ? 0 : tsig.getError();
        }
    }

    private final Duration timeout;
    private final int retries;

    Transport(Duration timeout, int retries) {
        this.timeout = timeout;
        this.retries = retries;
    }

    Exchange exchange(InetSocketAddress server, Message request, TSIG tsig) throws DnsException {
        return exchange(server, request, tsig, timeout);
    }

    Exchange exchange(InetSocketAddress server, Message request, TSIG tsig, Duration attemptTimeout)
            throws DnsException {
        long t0 = System.nanoTime();
        if (tsig != null) tsig.apply(request, null);
        // toWire() keeps sections in order; toWire(int) moves OPT after the TSIG record, which servers reject
        byte[] out = request.toWire();
        OPTRecord opt = request.getOPT();
        int udpLimit = opt == null ? UDP_DEFAULT : Math.max(UDP_DEFAULT, opt.getPayloadSize());
        Call call = new Call(server, request, out, tsig, attemptTimeout, t0);
        return out.length > UDP_DEFAULT ? call.tcp(0) : call.udp(udpLimit);
    }

    private final class Call {
        final InetSocketAddress server;
        final Message request;
        final byte[] out;
        final TSIG tsig;
        final TSIGRecord requestTsig;
        final Duration attemptTimeout;
        final long t0;
        final int id;
        int ignored;
        int lastRcode;
        int lastTsigError;
        String lastIgnored;

        Call(InetSocketAddress server, Message request, byte[] out, TSIG tsig, Duration attemptTimeout, long t0) {
            this.server = server;
            this.request = request;
            this.out = out;
            this.tsig = tsig;
            this.requestTsig = request.getTSIG();
            this.attemptTimeout = attemptTimeout;
            this.t0 = t0;
            this.id = request.getHeader().getID();
        }

        Exchange udp(int udpLimit) throws DnsException {
            byte[] buf = new byte[Math.max(udpLimit, 4096)];
            int attempt = 0;
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(server);
                while (attempt <= retries) {
                    attempt++;
                    s.send(new DatagramPacket(out, out.length));
                    long deadline = System.nanoTime() + attemptTimeout.toNanos();
                    while (true) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) break;
                        s.setSoTimeout((int) Math.max(1, left / 1_000_000));
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            s.receive(p);
                        } catch (SocketTimeoutException e) {
                            break;
                        }
                        byte[] in = Arrays.copyOf(p.getData(), p.getLength());
                        Message reply = parse(in, false);
                        if (reply == null) continue; // not ours or garbage: keep listening
                        if (reply.getHeader().getFlag(Flags.TC)) return tcp(attempt);
                        Exchange x = done(reply, in, false, attempt);
                        if (x != null) return x; // else: unsigned reply ignored, keep listening
                    }
                }
            } catch (PortUnreachableException e) {
                throw unreachable("nothing listening (ICMP port unreachable)", e);
            } catch (DnsException e) {
                throw e;
            } catch (IOException e) {
                throw unreachable(e.toString(), e);
            }
            throw noReply("UDP", attempt);
        }

        Exchange tcp(int attemptsSoFar) throws DnsException {
            int attempt = attemptsSoFar;
            int tcpAttempts = 0;
            while (tcpAttempts <= retries) {
                attempt++;
                tcpAttempts++;
                try (Socket s = new Socket()) {
                    int ms = (int) Math.max(1, attemptTimeout.toMillis());
                    s.setTcpNoDelay(true);
                    s.connect(server, ms);
                    s.setSoTimeout(ms);
                    OutputStream os = s.getOutputStream();
                    byte[] framed = new byte[out.length + 2];
                    framed[0] = (byte) (out.length >>> 8);
                    framed[1] = (byte) out.length;
                    System.arraycopy(out, 0, framed, 2, out.length);
                    os.write(framed);
                    os.flush();
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    while (true) {
                        int len = in.readUnsignedShort();
                        byte[] data = new byte[len];
                        in.readFully(data);
                        Message reply = parse(data, true);
                        Exchange x = reply == null ? null : done(reply, data, true, attempt);
                        if (x != null) return x; // else: unsigned reply ignored, wait for another until the timeout
                    }
                } catch (SocketTimeoutException e) {
                    // retry below
                } catch (ConnectException e) {
                    throw unreachable("connection refused over TCP", e);
                } catch (EOFException e) {
                    throw new DnsException(Outcome.SERVFAIL, where() + " closed the TCP connection without a reply", e);
                } catch (DnsException e) {
                    throw e;
                } catch (IOException e) {
                    throw unreachable(e.toString(), e);
                }
            }
            throw noReply("TCP", tcpAttempts);
        }

        /** TIMEOUT, or UNVERIFIED when replies came but none was signed with our key. */
        private DnsException noReply(String over, int attempts) {
            String waited = " from " + where() + " over " + over + " after " + attempts + " attempt(s) of "
                    + attemptTimeout.toMillis() + " ms";
            if (ignored == 0) return new DnsException(Outcome.TIMEOUT, "no reply" + waited);
            return new DnsException(Outcome.UNVERIFIED, "no signed reply" + waited + ": " + ignored
                    + (ignored == 1 ? " reply" : " replies") + " not signed with the key, ignored (the last said "
                    + lastIgnored + "; if genuine: " + Outcome.classify(lastRcode, lastTsigError).description() + ")");
        }

        /** The reply to our request, or null for a datagram that is not (wrong ID, garbage). */
        private Message parse(byte[] in, boolean tcp) throws DnsException {
            if (in.length < 12 || (((in[0] & 0xff) << 8) | (in[1] & 0xff)) != id) {
                if (tcp) throw new DnsException(Outcome.FORMERR, where() + " sent a reply that is not ours");
                return null;
            }
            try {
                Message m = new Message(in);
                if (!m.getHeader().getFlag(Flags.QR) || m.getHeader().getOpcode() != request.getHeader().getOpcode()) {
                    return null;
                }
                return m;
            } catch (IOException e) {
                if (tcp) throw new DnsException(Outcome.FORMERR, where() + " sent an unparseable reply: " + e.getMessage(), e);
                return null;
            }
        }

        /** The exchange, or null for a reply to a signed request that is not signed and verified. */
        private Exchange done(Message reply, byte[] in, boolean tcp, int attempts) {
            TSIGRecord rt = reply.getTSIG();
            boolean verified = false;
            if (tsig != null && rt != null) {
                tsig.verify(reply, in, requestTsig);
                verified = reply.isVerified();
            }
            if (tsig != null && !verified) {
                ignored++;
                lastRcode = reply.getRcode();
                lastTsigError = rt == null ? 0 : rt.getError();
                lastIgnored = Rcode.string(lastRcode) + (lastTsigError != 0 ? "/" + Rcode.TSIGstring(lastTsigError) : "")
                        + (rt == null || rt.getSignature() == null || rt.getSignature().length == 0
                                ? ", unsigned" : ", signature did not verify");
                log.debug("unsigned reply ignored: {} from {}", lastIgnored, where());
                return null;
            }
            return new Exchange(reply, tcp, attempts, verified, rt, System.nanoTime() - t0);
        }

        private DnsException unreachable(String why, Exception cause) {
            return new DnsException(Outcome.UNREACHABLE, where() + " unreachable: " + why, cause);
        }

        private String where() {
            return server.getAddress() == null ? server.toString()
                    : server.getAddress().getHostAddress() + ":" + server.getPort();
        }
    }
}
