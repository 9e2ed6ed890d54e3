package org.vcrecovery.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;

/**
 * The first-use work of a cold JVM for {@link DnsUpdater#preload()}: dnsjava's tables, its
 * SecureRandom and TSIG, building, signing, parsing and verifying a message with a throwaway key,
 * and the JDK's datagram sockets. Nothing is sent. A named class, not a lambda: the first lambda
 * of a fresh JVM spins its bootstrap machinery.
 */
final class Warmup implements Runnable {
    static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void run() {
        warm();
    }

    /** Does the first-use work; whether all of it went through (a test checks it does). */
    static boolean warm() {
        try {
            org.xbill.DNS.Type.string(org.xbill.DNS.Type.A);
            Message m = UpdateMessages.query(Name.root, org.xbill.DNS.Type.SOA); // header id: dnsjava's SecureRandom
            TSIG throwaway = new TsigKey("preload.", TsigKey.Algorithm.HMAC_SHA256, new byte[32]).toTsig();
            throwaway.apply(m, null);
            byte[] wire = m.toWire();
            int verified = throwaway.verify(new Message(wire), wire, null);
            new java.net.DatagramSocket().close(); // NIO and its native libraries: ~5 ms of the first exchange
            return verified == Rcode.NOERROR;
        } catch (java.io.IOException | RuntimeException | Error e) {
            return false; // the real use will fail the same way, with the caller's handling
        }
    }
}
