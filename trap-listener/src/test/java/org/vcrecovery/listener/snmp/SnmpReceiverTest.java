package org.vcrecovery.listener.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.vcrecovery.listener.ConfigLoader;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.Pipeline;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;
import org.vcrecovery.listener.spool.Spool;
import org.vcrecovery.listener.spool.SpoolRecord;

/** The receiver on a loopback ephemeral port, driven by SNMP4J as the sender. */
class SnmpReceiverTest {
    private static final String ENT = "1.3.6.1.4.1.36957";
    @TempDir
    Path dir;
    final Stats stats = new Stats();
    Spool spool;
    SnmpReceiver receiver;
    Snmp sender;
    UdpAddress target;

    @BeforeEach
    void start() throws Exception {
        start("  communities: [s3cret]\n");
    }

    /** (Re)starts the receiver with {@code snmpExtra} added to the snmp section. */
    void start(String snmpExtra) throws Exception {
        if (receiver != null) stop();
        privateFile("auth", "authpass123\n");
        privateFile("priv", "privpass123\n");
        Path yaml = privateFile("c.yaml", "snmp:\n  listen: 127.0.0.1:0\n" + snmpExtra + "  v3-users:\n"
                + "    - {name: vcrmon, auth-protocol: SHA, auth-password-file: " + dir.resolve("auth")
                + ", priv-protocol: AES, priv-password-file: " + dir.resolve("priv") + "}\n");
        ListenerConfig cfg = ConfigLoader.load(yaml, ConfigLoader.Overrides.NONE);
        spool = Spool.open(dir.resolve("spool"), 16 << 20, true, 4096, stats);
        Pipeline pipeline = new Pipeline(spool, stats, Map.of("127.0.0.1", "kvm-local"), "other");
        receiver = new SnmpReceiver(cfg, LocalEngine.loadAndBoot(dir), pipeline, stats);
        receiver.start();
        target = new UdpAddress(InetAddress.getLoopbackAddress(), receiver.port());
        sender = new Snmp(new DefaultUdpTransportMapping());
        sender.listen();
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        receiver.close();
        spool.close();
        receiver = null;
    }

    Path privateFile(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    List<TrapperValue> spooled() throws Exception {
        List<TrapperValue> out = new ArrayList<>();
        var r = spool.reader();
        List<SpoolRecord> b;
        while (!(b = r.read(100)).isEmpty()) b.forEach(x -> out.add(x.value()));
        return out;
    }

    static PDU v2(int type, String vm, int state) {
        PDU p = new PDU();
        p.setType(type);
        p.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)));
        p.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID(ENT + ".0.1")));
        p.add(new VariableBinding(new OID(ENT + ".1.1.1.2"), new OctetString(vm)));
        p.add(new VariableBinding(new OID(ENT + ".1.1.1.3"), new Integer32(state)));
        return p;
    }

    CommunityTarget<UdpAddress> community(String c, int version) {
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(target, new OctetString(c));
        t.setVersion(version);
        t.setTimeout(2000);
        t.setRetries(1);
        return t;
    }

    @Test
    void aV2cTrapBecomesDiscoveryAndStateForTheMappedHost() throws Exception {
        sender.send(v2(PDU.TRAP, "web1", 5), community("s3cret", SnmpConstants.version2c));
        await().until(() -> spooled().size() == 2);
        List<TrapperValue> v = spooled();
        assertThat(v.get(0).host()).isEqualTo("kvm-local");
        assertThat(v.get(0).key()).isEqualTo("vcr.vm.discovery");
        assertThat(v.get(0).value()).isEqualTo("[{\"{#VM.NAME}\":\"web1\",\"{#VM.UUID}\":\"\"}]");
        assertThat(v.get(1).key()).isEqualTo("vcr.vm.state[web1]");
        assertThat(v.get(1).value()).isEqualTo("5");
    }

    @Test
    void aV1TrapIsDecodedToo() throws Exception {
        PDUv1 p = new PDUv1();
        p.setType(PDU.V1TRAP);
        p.setEnterprise(new OID(ENT));
        p.setGenericTrap(PDUv1.ENTERPRISE_SPECIFIC);
        p.setSpecificTrap(1);
        p.add(new VariableBinding(new OID(ENT + ".1.1.1.2"), new OctetString("db1")));
        p.add(new VariableBinding(new OID(ENT + ".1.1.1.3"), new Integer32(3)));
        sender.send(p, community("s3cret", SnmpConstants.version1));
        await().until(() -> spooled().stream().anyMatch(x -> x.key().equals("vcr.vm.state[db1]") && x.value().equals("3")));
    }

    @Test
    void anInformIsAnsweredOnlyAfterItsValuesAreInTheSpool() throws Exception {
        ResponseEvent<UdpAddress> r = sender.send(v2(PDU.INFORM, "web2", 6), community("s3cret", SnmpConstants.version2c));
        assertThat(r.getResponse()).isNotNull();
        assertThat(r.getResponse().getErrorStatus()).isZero();
        // Answered ⇒ durable: readable from the spool without waiting.
        assertThat(spooled()).anyMatch(x -> x.key().equals("vcr.vm.state[web2]") && x.value().equals("6"));
    }

    /** An SNMP4J v3 sender whose user vcrmon has the given protocols (null: none) and the listener's passphrases. */
    static Snmp v3Sender(OctetString engine, OID auth, OID priv) throws Exception {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility);
        USM usm = new USM(protocols, engine, 0);
        usm.addUser(new UsmUser(new OctetString("vcrmon"), auth, auth == null ? null : new OctetString("authpass123"), priv,
                priv == null ? null : new OctetString("privpass123")));
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        org.snmp4j.MessageDispatcherImpl md = new org.snmp4j.MessageDispatcherImpl();
        md.addMessageProcessingModel(new MPv3(engine.getValue(), null, protocols, models, new org.snmp4j.mp.CounterSupport()));
        Snmp snmp = new Snmp(md, new DefaultUdpTransportMapping());
        snmp.listen();
        return snmp;
    }

    @Test
    void aV3UserConfiguredAuthPrivRefusesNoAuthNoPrivAndAuthNoPrivTrapsAndInforms() throws Exception {
        OctetString engine = new OctetString(MPv3.createLocalEngineID(new OctetString("forger")));
        record Attempt(OID auth, int level, String vm) {
        }
        for (Attempt a : List.of(new Attempt(null, SecurityLevel.NOAUTH_NOPRIV, "forged-noauth"),
                new Attempt(AuthSHA.ID, SecurityLevel.AUTH_NOPRIV, "forged-authnopriv"))) {
            try (Snmp v3 = v3Sender(engine, a.auth(), null)) {
                UserTarget<UdpAddress> t = new UserTarget<>(target, new OctetString("vcrmon"), engine.getValue(), a.level());
                t.setVersion(SnmpConstants.version3);
                ScopedPDU trap = new ScopedPDU();
                trap.setType(PDU.TRAP);
                trap.addAll(v2(PDU.TRAP, a.vm(), 6).getVariableBindings());
                v3.send(trap, t);
                UserTarget<UdpAddress> it = new UserTarget<>(target, new OctetString("vcrmon"), new byte[0], a.level());
                it.setVersion(SnmpConstants.version3);
                it.setTimeout(500);
                it.setRetries(0);
                ScopedPDU inform = new ScopedPDU();
                inform.setType(PDU.INFORM);
                inform.addAll(v2(PDU.INFORM, a.vm() + "-inform", 6).getVariableBindings());
                assertThat(v3.send(inform, it).getResponse()).as("%s inform not answered", a.vm()).isNull();
            }
        }
        sender.send(v2(PDU.TRAP, "after", 1), community("s3cret", SnmpConstants.version2c));
        await().until(() -> spooled().stream().anyMatch(x -> x.key().equals("vcr.vm.state[after]")));
        assertThat(spooled()).noneMatch(x -> x.key().contains("forged"));
        assertThat(stats.trapsInvalid.sum()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void withoutCommunitiesEveryV1AndV2cMessageIsRefusedEvenPublic() throws Exception {
        start(""); // only the v3 user
        for (String c : List.of("public", "s3cret", "")) {
            sender.send(v2(PDU.TRAP, "forged", 6), community(c, SnmpConstants.version2c));
            sender.send(v2(PDU.TRAP, "forged", 6), community(c, SnmpConstants.version1));
        }
        await().until(() -> stats.trapsInvalid.sum() >= 5);
        assertThat(spooled()).isEmpty();
        assertThat(stats.trapsReceived.sum()).isZero();
    }

    @Test
    void withASourceAllowlistATrapFromAnotherAddressIsRefusedEvenWithTheRightCommunity() throws Exception {
        start("  communities: [s3cret]\n  sources: [127.0.0.2/32]\n");
        sender.send(v2(PDU.TRAP, "from-1", 6), community("s3cret", SnmpConstants.version2c)); // from 127.0.0.1
        try (Snmp listed = new Snmp(new DefaultUdpTransportMapping(new UdpAddress("127.0.0.2/0")))) {
            listed.listen();
            listed.send(v2(PDU.TRAP, "from-2", 6), community("s3cret", SnmpConstants.version2c));
            await().until(() -> spooled().stream().anyMatch(x -> x.key().equals("vcr.vm.state[from-2]")));
        }
        await().until(() -> stats.trapsInvalid.sum() >= 1);
        assertThat(spooled()).noneMatch(x -> x.key().contains("from-1"));
    }

    @Test
    void aV3AuthPrivInformAndTrapAreAccepted() throws Exception {
        OctetString senderEngine = new OctetString(MPv3.createLocalEngineID(new OctetString("sender-test")));
        try (Snmp v3 = v3Sender(senderEngine, AuthSHA.ID, PrivAES128.ID)) {
            UserTarget<UdpAddress> t = new UserTarget<>(target, new OctetString("vcrmon"), new byte[0], SecurityLevel.AUTH_PRIV);
            t.setVersion(SnmpConstants.version3);
            t.setTimeout(3000);
            t.setRetries(1);
            ScopedPDU inform = new ScopedPDU();
            inform.setType(PDU.INFORM);
            inform.addAll(v2(PDU.INFORM, "v3vm", 1).getVariableBindings());
            ResponseEvent<UdpAddress> r = v3.send(inform, t);
            assertThat(r.getResponse()).as("v3 inform answered").isNotNull();

            ScopedPDU trap = new ScopedPDU();
            trap.setType(PDU.TRAP);
            trap.addAll(v2(PDU.TRAP, "v3trap", 4).getVariableBindings());
            UserTarget<UdpAddress> tt = new UserTarget<>(target, new OctetString("vcrmon"), senderEngine.getValue(), SecurityLevel.AUTH_PRIV);
            tt.setVersion(SnmpConstants.version3);
            v3.send(trap, tt);
        }
        await().until(() -> spooled().stream().anyMatch(x -> x.key().equals("vcr.vm.state[v3trap]") && x.value().equals("4")));
        assertThat(spooled()).anyMatch(x -> x.key().equals("vcr.vm.state[v3vm]"));
    }

    @Test
    void aWrongCommunityAndGarbageAreCountedAndDroppedWhileValidTrapsStillArrive() throws Exception {
        CommunityTarget<UdpAddress> wrong = community("public", SnmpConstants.version2c);
        wrong.setTimeout(500);
        wrong.setRetries(0);
        ResponseEvent<UdpAddress> r = sender.send(v2(PDU.INFORM, "evil", 5), wrong);
        assertThat(r.getResponse()).as("no answer to a wrong community").isNull();
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] junk = "definitely not BER".getBytes();
            s.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), receiver.port()));
            byte[] truncated = {0x30, 0x10, 0x02, 0x01};
            s.send(new DatagramPacket(truncated, truncated.length, InetAddress.getLoopbackAddress(), receiver.port()));
        }
        sender.send(v2(PDU.TRAP, "good", 1), community("s3cret", SnmpConstants.version2c));
        await().until(() -> spooled().stream().anyMatch(x -> x.key().equals("vcr.vm.state[good]")));
        await().until(() -> stats.trapsInvalid.sum() >= 3);
        assertThat(spooled()).noneMatch(x -> x.key().contains("evil"));
        assertThat(stats.trapsReceived.sum()).isEqualTo(1);
    }

    @Test
    void anUnknownTrapGoesToTheFallbackItem() throws Exception {
        PDU p = new PDU();
        p.setType(PDU.TRAP);
        p.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)));
        p.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID("1.3.6.1.6.3.1.1.5.3")));
        sender.send(p, community("s3cret", SnmpConstants.version2c));
        await().until(() -> spooled().stream().anyMatch(x -> x.key().equals("vcr.trap.unknown") && x.value().contains("1.3.6.1.6.3.1.1.5.3")));
        assertThat(stats.trapsUnknown.sum()).isEqualTo(1);
    }

    @Test
    void theEngineIdSurvivesARestart() throws Exception {
        LocalEngine a = LocalEngine.loadAndBoot(dir.resolve("e"));
        LocalEngine b = LocalEngine.loadAndBoot(dir.resolve("e"));
        assertThat(b.engineId()).isEqualTo(a.engineId());
        assertThat(b.boots()).isEqualTo(a.boots() + 1);
    }

    static {
        org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(10));
    }
}
