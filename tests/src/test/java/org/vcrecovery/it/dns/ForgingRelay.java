package org.vcrecovery.it.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.vcrecovery.relay.DnsRelay;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * A relay ({@link DnsRelay}) in front of the real BIND that plays an attacker who can send
 * datagrams to the client: before relaying each UPDATE it answers it with a forged, unsigned
 * reply of rcode {@code forgedRcode}, and when {@code dropRealUpdateReply} it also swallows
 * BIND's real (signed) reply, as if it were lost. Queries are relayed untouched.
 */
final class ForgingRelay implements AutoCloseable {
    private final DnsRelay relay;

    ForgingRelay(InetSocketAddress bind, int forgedRcode, boolean dropRealUpdateReply) throws IOException {
        this.relay = new DnsRelay(bind, (update, toClient) -> {
            try {
                toClient.accept(forged(new Message(update), forgedRcode).toWire());
            } catch (IOException e) {
                // not a message dnsjava reads: nothing to forge, BIND answers it
            }
            return !dropRealUpdateReply;
        });
    }

    InetSocketAddress address() {
        return relay.address();
    }

    private static Message forged(Message request, int rcode) {
        Message m = new Message(request.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setOpcode(request.getHeader().getOpcode());
        m.getHeader().setRcode(rcode);
        if (request.getQuestion() != null) m.addRecord(request.getQuestion(), Section.ZONE);
        return m;
    }

    @Override
    public void close() {
        relay.close();
    }
}
