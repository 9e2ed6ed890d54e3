package org.vcrecovery.listener.snmp;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.IpAddress;

/**
 * SNMP4J's dispatcher with the source allowlist applied before a packet is parsed: a packet from
 * an address not in {@code snmp.sources} costs no BER decoding or v3 crypto and gets no answer at
 * all (not even a v3 engine-discovery report, which would tell the sender the engine ID).
 */
final class SourceFilteringDispatcher extends MessageDispatcherImpl {
    private final SourceAllowlist sources;
    private final Consumer<Address> refused;

    SourceFilteringDispatcher(SourceAllowlist sources, Consumer<Address> refused) {
        this.sources = sources;
        this.refused = refused;
    }

    private boolean allowed(Address a) {
        if (sources.blocks().isEmpty()) return true;
        boolean ok = a instanceof IpAddress ip && sources.allows(ip.getInetAddress());
        if (!ok) refused.accept(a);
        return ok;
    }

    @Override
    public <A extends Address> void processMessage(TransportMapping<? super A> transport, A from, ByteBuffer message,
                                                   TransportStateReference state) {
        if (allowed(from)) super.processMessage(transport, from, message, state);
    }

    @Override
    public <A extends Address> void processMessage(TransportMapping<? super A> transport, A from, BERInputStream message,
                                                   TransportStateReference state) {
        if (allowed(from)) super.processMessage(transport, from, message, state);
    }
}
