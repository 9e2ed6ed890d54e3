package org.vcrecovery.listener.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.ScopedPDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.vcrecovery.listener.VmState;

class TrapDecoderTest {
    private static final Instant AT = Instant.parse("2026-11-22T00:00:00Z");
    private static final byte[] UUID_BYTES = {0x4d, (byte) 0xea, 0x22, (byte) 0xb3, 0x1d, 0x52, (byte) 0xd8, (byte) 0xf3,
            0x26, 0x16, 0x78, 0x2f, (byte) 0xda, 0x32, (byte) 0x92, 0x7e};
    private static final String UUID_TEXT = "4dea22b3-1d52-d8f3-2616-782fda32927e";
    private final TrapDecoder decoder = new TrapDecoder();

    enum Version { V1, V2C, V3 }

    static Stream<Arguments> everyStateBothEnterprisesEveryVersion() {
        List<Arguments> out = new ArrayList<>();
        for (String ent : new String[] {"1.3.6.1.4.1.36957", "1.3.6.1.4.1.12345"}) {
            for (Version v : Version.values()) {
                for (int s = 0; s <= 7; s++) out.add(Arguments.of(ent, v, s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} state {2}")
    @MethodSource("everyStateBothEnterprisesEveryVersion")
    void aGuestNotificationBecomesAStateChange(String ent, Version version, int state) {
        PDU pdu = notification(version, ent, List.of(
                vb(ent + ".1.1.1.2", new OctetString("web1")),
                vb(ent + ".1.1.1.1", new OctetString(UUID_BYTES)),
                vb(ent + ".1.1.1.3", new Integer32(state)),
                vb(ent + ".1.1.1.9", new Integer32(1))));

        DecodedTrap d = decoder.decode(pdu, "192.0.2.7", AT);

        assertThat(d).isInstanceOf(DecodedTrap.StateChange.class);
        var c = ((DecodedTrap.StateChange) d).change();
        assertThat(c.vmName()).isEqualTo("web1");
        assertThat(c.uuid()).isEqualTo(UUID_TEXT);
        assertThat(c.state()).isEqualTo(VmState.ofCode(state));
        assertThat(c.source()).isEqualTo("192.0.2.7");
        assertThat(c.at()).isEqualTo(AT);
    }

    @Test
    void varbindsWithAnInstanceSuffixAndATextUuidAreRead() {
        String ent = "1.3.6.1.4.1.36957";
        String idx = ".16.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16";
        PDU pdu = notification(Version.V2C, ent, List.of(
                vb(ent + ".1.1.1.2" + idx, new OctetString("db")),
                vb(ent + ".1.1.1.1" + idx, new OctetString(UUID_TEXT)),
                vb(ent + ".1.1.1.3" + idx, new Integer32(6))));
        var c = ((DecodedTrap.StateChange) decoder.decode(pdu, "10.0.0.1", AT)).change();
        assertThat(c.vmName()).isEqualTo("db");
        assertThat(c.uuid()).isEqualTo(UUID_TEXT);
        assertThat(c.state()).isEqualTo(VmState.CRASHED);
    }

    @Test
    void theExactLayoutLibvirtSnmpSendsIsRead() {
        // libvirtNotifications.c: scalar-style ".0" instances, 16-byte UUID, row status notInService(2) when off.
        String ent = "1.3.6.1.4.1.36957";
        PDU pdu = notification(Version.V2C, ent, List.of(
                vb(ent + ".1.1.1.2.0", new OctetString("web9")),
                vb(ent + ".1.1.1.1.0", new OctetString(UUID_BYTES)),
                vb(ent + ".1.1.1.3.0", new Integer32(5)),
                vb(ent + ".1.1.1.9.0", new Integer32(2))));
        var c = ((DecodedTrap.StateChange) decoder.decode(pdu, "10.0.0.1", AT)).change();
        assertThat(c.vmName()).isEqualTo("web9");
        assertThat(c.uuid()).isEqualTo(UUID_TEXT);
        assertThat(c.state()).isEqualTo(VmState.SHUTOFF);
    }

    static Stream<Arguments> badGuestNotifications() {
        String e = "1.3.6.1.4.1.36957";
        return Stream.of(
                Arguments.of("name missing", List.of(vb(e + ".1.1.1.3", new Integer32(5))), "libvirtGuestName missing"),
                Arguments.of("state missing", List.of(vb(e + ".1.1.1.2", new OctetString("a"))), "libvirtGuestState missing"),
                Arguments.of("name empty", List.of(vb(e + ".1.1.1.2", new OctetString("")), vb(e + ".1.1.1.3", new Integer32(5))), "empty"),
                Arguments.of("name is an integer", List.of(vb(e + ".1.1.1.2", new Integer32(3)), vb(e + ".1.1.1.3", new Integer32(5))), "not OCTET STRING"),
                Arguments.of("state is a string", List.of(vb(e + ".1.1.1.2", new OctetString("a")), vb(e + ".1.1.1.3", new OctetString("5"))), "not INTEGER"),
                Arguments.of("state is a counter", List.of(vb(e + ".1.1.1.2", new OctetString("a")), vb(e + ".1.1.1.3", new Counter32(5))), "not INTEGER"),
                Arguments.of("state 8", List.of(vb(e + ".1.1.1.2", new OctetString("a")), vb(e + ".1.1.1.3", new Integer32(8))), "outside 0..7"),
                Arguments.of("state -1", List.of(vb(e + ".1.1.1.2", new OctetString("a")), vb(e + ".1.1.1.3", new Integer32(-1))), "outside 0..7"),
                Arguments.of("uuid 5 bytes", List.of(vb(e + ".1.1.1.2", new OctetString("a")), vb(e + ".1.1.1.1", new OctetString("short")),
                        vb(e + ".1.1.1.3", new Integer32(1))), "neither 16 bytes"),
                Arguments.of("no varbinds", List.of(), "libvirtGuestName missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGuestNotifications")
    void aBrokenGuestNotificationIsInvalidWithAReason(String name, List<VariableBinding> vbs, String reason) {
        DecodedTrap d = decoder.decode(notification(Version.V2C, "1.3.6.1.4.1.36957", vbs), "10.0.0.1", AT);
        assertThat(d).isInstanceOf(DecodedTrap.Invalid.class);
        assertThat(((DecodedTrap.Invalid) d).reason()).contains(reason);
    }

    @Test
    void aTrapFromAnotherEnterpriseIsUnknownWithAReadableRendering() {
        PDU pdu = notification(Version.V2C, "1.3.6.1.4.1.8072", List.of(vb("1.3.6.1.2.1.1.5.0", new OctetString("router"))));
        DecodedTrap d = decoder.decode(pdu, "10.0.0.9", AT);
        assertThat(d).isInstanceOf(DecodedTrap.Unknown.class);
        var u = (DecodedTrap.Unknown) d;
        assertThat(u.trapOid()).isEqualTo("1.3.6.1.4.1.8072.0.1");
        assertThat(u.rendering()).contains("from 10.0.0.9").contains("1.3.6.1.2.1.1.5.0=router");
    }

    @Test
    void aV1GenericTrapMapsToSnmpTrapsPerRfc3584() {
        PDUv1 pdu = new PDUv1();
        pdu.setType(PDU.V1TRAP);
        pdu.setEnterprise(new OID("1.3.6.1.4.1.36957"));
        pdu.setGenericTrap(PDUv1.LINKDOWN);
        DecodedTrap d = decoder.decode(pdu, "10.0.0.1", AT);
        assertThat(d).isInstanceOf(DecodedTrap.Unknown.class);
        assertThat(((DecodedTrap.Unknown) d).trapOid()).isEqualTo("1.3.6.1.6.3.1.1.5.3");
    }

    @Test
    void aV2TrapWithoutSnmpTrapOidIsInvalid() {
        PDU pdu = new PDU();
        pdu.setType(PDU.TRAP);
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(5)));
        assertThat(decoder.decode(pdu, "10.0.0.1", AT)).isInstanceOf(DecodedTrap.Invalid.class);
    }

    @Test
    void aGetRequestIsNotANotification() {
        PDU pdu = new PDU();
        pdu.setType(PDU.GET);
        pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.1.5.0")));
        DecodedTrap d = decoder.decode(pdu, "10.0.0.1", AT);
        assertThat(d).isInstanceOf(DecodedTrap.Invalid.class);
        assertThat(((DecodedTrap.Invalid) d).reason()).contains("not a notification");
    }

    @Test
    void aHugeTrapIsRenderedInAtMost2000Characters() {
        List<VariableBinding> vbs = new ArrayList<>();
        for (int i = 0; i < 200; i++) vbs.add(vb("1.3.6.1.4.1.9.9." + i, new OctetString("x".repeat(50))));
        var u = (DecodedTrap.Unknown) decoder.decode(notification(Version.V2C, "1.3.6.1.4.1.9", vbs), "10.0.0.1", AT);
        assertThat(u.rendering()).hasSizeLessThanOrEqualTo(2000);
    }

    static VariableBinding vb(String oid, Variable v) {
        return new VariableBinding(new OID(oid), v);
    }

    /** A libvirt-style notification {@code ent.0.1} in the given SNMP version's PDU form. */
    static PDU notification(Version version, String ent, List<VariableBinding> vbs) {
        if (version == Version.V1) {
            PDUv1 p = new PDUv1();
            p.setType(PDU.V1TRAP);
            p.setEnterprise(new OID(ent));
            p.setGenericTrap(PDUv1.ENTERPRISE_SPECIFIC);
            p.setSpecificTrap(1);
            vbs.forEach(p::add);
            return p;
        }
        PDU p = version == Version.V3 ? new ScopedPDU() : new PDU();
        p.setType(PDU.TRAP);
        p.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(100)));
        p.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID(ent + ".0.1")));
        vbs.forEach(p::add);
        return p;
    }
}
