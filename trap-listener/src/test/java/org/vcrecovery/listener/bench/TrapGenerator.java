package org.vcrecovery.listener.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.LockSupport;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BER;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.VariableBinding;

/**
 * Sends SNMPv2c libvirtGuestNotif traps at a fixed rate to a loopback port. Trap {@code i} is
 * about VM {@code i % vms} with state {@code (i / vms) % 8}, so a receiver that keeps per-VM
 * order can map its j-th value of VM k back to trap {@code j * vms + k}. Packets are encoded
 * once up front; the send time of every trap is recorded.
 */
final class TrapGenerator {
    private static final String ENT = "1.3.6.1.4.1.36957";
    private final byte[][][] packets; // [vm][state]
    private final int vms;

    TrapGenerator(String community, int vms, String vmPrefix) throws IOException {
        this.vms = vms;
        packets = new byte[vms][8][];
        for (int v = 0; v < vms; v++) {
            for (int s = 0; s < 8; s++) packets[v][s] = encode(community, vmPrefix + v, s);
        }
    }

    static String vmName(String prefix, int i, int vms) {
        return prefix + (i % vms);
    }

    static int stateOf(int i, int vms) {
        return (i / vms) % 8;
    }

    /** Sends {@code sent.length} traps at {@code rate}/s, recording the send time (nanoTime) of each in {@code sent}. */
    void run(InetSocketAddress target, int rate, long[] sent) throws IOException {
        int count = sent.length;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(target);
            long start = System.nanoTime();
            double interval = 1e9 / rate;
            int i = 0;
            while (i < count) {
                long now = System.nanoTime();
                // Send everything due, then sleep until the next one: bursts of ~0.5 ms, no busy spin
                // (the generator shares the 2 CPUs with the listener).
                while (i < count && start + (long) (i * interval) <= now) {
                    sent[i] = System.nanoTime();
                    ch.write(ByteBuffer.wrap(packets[i % vms][stateOf(i, vms)]));
                    i++;
                }
                if (i < count) {
                    long wait = start + (long) (i * interval) - System.nanoTime();
                    LockSupport.parkNanos(Math.max(wait, 500_000));
                }
            }
        }
    }

    private static byte[] encode(String community, String vm, int state) throws IOException {
        PDU pdu = new PDU();
        pdu.setType(PDU.TRAP);
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(4242)));
        pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID(ENT + ".0.1")));
        pdu.add(new VariableBinding(new OID(ENT + ".1.1.1.2"), new OctetString(vm)));
        pdu.add(new VariableBinding(new OID(ENT + ".1.1.1.3"), new Integer32(state)));
        ByteArrayOutputStream pduOut = new ByteArrayOutputStream();
        pdu.encodeBER(pduOut);
        byte[] pduBytes = pduOut.toByteArray();
        Integer32 version = new Integer32(SnmpConstants.version2c);
        OctetString c = new OctetString(community);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BER.encodeHeader(out, BER.SEQUENCE, version.getBERLength() + c.getBERLength() + pduBytes.length);
        version.encodeBER(out);
        c.encodeBER(out);
        out.write(pduBytes);
        return out.toByteArray();
    }
}
