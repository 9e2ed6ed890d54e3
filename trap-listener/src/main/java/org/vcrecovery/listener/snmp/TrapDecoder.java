package org.vcrecovery.listener.snmp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.vcrecovery.listener.VmState;
import org.vcrecovery.listener.VmStateChange;

/**
 * Decodes LIBVIRT-MIB notifications: {@code libvirtGuestNotif} (enterprise
 * 1.3.6.1.4.1.36957, notification {@code .0.1}) and the same layout under the placeholder
 * enterprise 1.3.6.1.4.1.12345 of older libvirt-snmp builds. SNMPv1 traps are mapped to a
 * notification OID per RFC 3584 (enterprise + 0 + specific-trap; generic traps to
 * snmpTraps). Varbinds are matched by column prefix (with or without an instance suffix):
 * name (.1.1.1.2, OCTET STRING), UUID (.1.1.1.1, 16 bytes or text), state (.1.1.1.3,
 * INTEGER 0..7); row status (.1.1.1.9) is ignored. Stateless and thread-safe; never throws
 * on bad input — bad input is an {@link DecodedTrap.Invalid}.
 */
public final class TrapDecoder {
    public static final OID LIBVIRT = new OID("1.3.6.1.4.1.36957");
    public static final OID LIBVIRT_LEGACY = new OID("1.3.6.1.4.1.12345");
    private static final OID SNMP_TRAPS = new OID("1.3.6.1.6.3.1.1.5");
    private static final int MAX_RENDERING = 2000;
    private static final Layout CURRENT = new Layout(LIBVIRT);
    private static final Layout LEGACY = new Layout(LIBVIRT_LEGACY);

    /** The notification and column OIDs under one enterprise, built once. */
    private record Layout(OID notif, OID uuid, OID name, OID state) {
        Layout(OID e) {
            this(new OID(e).append(0).append(1), column(e, 1), column(e, 2), column(e, 3));
        }
    }

    /** Decodes {@code pdu} received from {@code source} at {@code at}. */
    public DecodedTrap decode(PDU pdu, String source, Instant at) {
        OID trapOid;
        List<? extends VariableBinding> vbs = pdu.getVariableBindings();
        if (pdu instanceof PDUv1 v1 && pdu.getType() == PDU.V1TRAP) {
            trapOid = v1TrapOid(v1);
        } else if (pdu.getType() == PDU.TRAP || pdu.getType() == PDU.INFORM) {
            trapOid = null;
            for (VariableBinding vb : vbs) {
                if (SnmpConstants.snmpTrapOID.equals(vb.getOid())) {
                    if (vb.getVariable() instanceof OID o) trapOid = o;
                    else return invalid(source, "snmpTrapOID.0 is not an OID", pdu);
                }
            }
            if (trapOid == null) return invalid(source, "no snmpTrapOID.0", pdu);
        } else {
            return invalid(source, "not a notification: " + PDU.getTypeString(pdu.getType()), pdu);
        }
        Layout layout = trapOid.equals(CURRENT.notif()) ? CURRENT : trapOid.equals(LEGACY.notif()) ? LEGACY : null;
        if (layout == null) return new DecodedTrap.Unknown(source, trapOid.toDottedString(), render(pdu, source));
        return decodeGuest(layout, pdu, source, at);
    }

    /** RFC 3584 §3.1: the SNMPv2 notification OID of an SNMPv1 trap. */
    static OID v1TrapOid(PDUv1 pdu) {
        int generic = pdu.getGenericTrap();
        if (generic >= 0 && generic < PDUv1.ENTERPRISE_SPECIFIC) {
            OID o = new OID(SNMP_TRAPS);
            o.append(generic + 1);
            return o;
        }
        OID o = new OID(pdu.getEnterprise());
        o.append(0);
        o.append(pdu.getSpecificTrap());
        return o;
    }

    private static DecodedTrap decodeGuest(Layout l, PDU pdu, String source, Instant at) {
        OID nameCol = l.name();
        OID uuidCol = l.uuid();
        OID stateCol = l.state();
        List<? extends VariableBinding> vbs = pdu.getVariableBindings();
        String name = null;
        String uuid = "";
        VmState state = null;
        for (VariableBinding vb : vbs) {
            OID oid = vb.getOid();
            Variable v = vb.getVariable();
            if (oid.startsWith(nameCol)) {
                if (!(v instanceof OctetString s)) return invalid(source, "libvirtGuestName is " + v.getSyntaxString() + ", not OCTET STRING", pdu);
                name = new String(s.getValue(), StandardCharsets.UTF_8);
            } else if (oid.startsWith(uuidCol)) {
                if (!(v instanceof OctetString s)) return invalid(source, "libvirtGuestUUID is " + v.getSyntaxString() + ", not OCTET STRING", pdu);
                uuid = uuidText(s.getValue());
                if (uuid == null) return invalid(source, "libvirtGuestUUID is neither 16 bytes nor a UUID", pdu);
            } else if (oid.startsWith(stateCol)) {
                if (!(v instanceof Integer32 i)) return invalid(source, "libvirtGuestState is " + v.getSyntaxString() + ", not INTEGER", pdu);
                state = VmState.ofCode(i.getValue());
                if (state == null) return invalid(source, "libvirtGuestState " + i.getValue() + " is outside 0..7", pdu);
            }
        }
        if (name == null) return invalid(source, "libvirtGuestName missing", pdu);
        if (name.isBlank()) return invalid(source, "libvirtGuestName is empty", pdu);
        if (state == null) return invalid(source, "libvirtGuestState missing", pdu);
        return new DecodedTrap.StateChange(new VmStateChange(source, name, uuid, state, state.name(), at));
    }

    private static DecodedTrap invalid(String source, String reason, PDU pdu) {
        return new DecodedTrap.Invalid(source, reason, render(pdu, source));
    }

    private static OID column(OID enterprise, int col) {
        return new OID(enterprise).append(1).append(1).append(1).append(col);
    }

    static String uuidText(byte[] b) {
        if (b.length == 16) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new UUID(bb.getLong(), bb.getLong()).toString();
        }
        String s = new String(b, StandardCharsets.US_ASCII).trim();
        try {
            if (s.length() == 36) return UUID.fromString(s).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** One line: "v2c TRAP from 10.0.0.1: oid=value, …", at most 2000 characters. */
    static String render(PDU pdu, String source) {
        StringBuilder sb = new StringBuilder(PDU.getTypeString(pdu.getType())).append(" from ").append(source);
        if (pdu instanceof PDUv1 v1) {
            sb.append(" enterprise=").append(v1.getEnterprise()).append(" generic=").append(v1.getGenericTrap())
                    .append(" specific=").append(v1.getSpecificTrap());
        }
        sb.append(':');
        for (VariableBinding vb : pdu.getVariableBindings()) {
            sb.append(' ').append(vb.getOid()).append('=').append(vb.getVariable().toString().replace('\n', ' ')).append(';');
            if (sb.length() > MAX_RENDERING) break;
        }
        return sb.length() > MAX_RENDERING ? sb.substring(0, MAX_RENDERING - 1) + "…" : sb.toString();
    }
}
