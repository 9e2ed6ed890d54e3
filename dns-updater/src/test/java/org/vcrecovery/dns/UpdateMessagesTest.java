package org.vcrecovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The UPDATE built for each precondition, read back section by section as the server would. */
class UpdateMessagesTest {
    private static final DnsChange SET = DnsChange.of("example.test", "www", RecordType.A, 30, "127.0.10.2", "127.0.10.3");

    @Test
    void withoutPreconditionItDeletesTheRrsetAndAddsTheNewRecords() throws Exception {
        Message m = roundTrip(UpdateMessages.build(SET));
        assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
        assertThat(m.getQuestion().getName().toString()).isEqualTo("example.test.");
        assertThat(m.getQuestion().getType()).isEqualTo(Type.SOA);
        assertThat(m.getSection(Section.PREREQ)).isEmpty();
        assertThat(lines(m.getSection(Section.UPDATE))).containsExactly(
                "www.example.test. ANY CNAME 0 ''",
                "www.example.test. ANY A 0 ''",
                "www.example.test. IN A 30 '127.0.10.2'",
                "www.example.test. IN A 30 '127.0.10.3'");
    }

    @Test
    void expectedValuesBecomeValueDependentPrerequisitesWithTtlZero() throws Exception {
        Message m = roundTrip(UpdateMessages.build(SET.expecting("127.0.0.1", "127.0.0.2")));
        assertThat(lines(m.getSection(Section.PREREQ))).containsExactly(
                "www.example.test. IN A 0 '127.0.0.1'",
                "www.example.test. IN A 0 '127.0.0.2'");
        assertThat(m.getSection(Section.UPDATE)).hasSize(4);
    }

    @Test
    void expectAbsentRequiresTheRrsetAndAConflictingCnameToBeAbsent() throws Exception {
        Message m = roundTrip(UpdateMessages.build(SET.expectingAbsent()));
        assertThat(lines(m.getSection(Section.PREREQ))).containsExactly(
                "www.example.test. NONE A 0 ''",
                "www.example.test. NONE CNAME 0 ''");
    }

    @Test
    void aCnameReplacesAddressesAtTheName() throws Exception {
        Message m = roundTrip(UpdateMessages.build(DnsChange.of("example.test", "www", RecordType.CNAME, 60, "standby")));
        assertThat(lines(m.getSection(Section.UPDATE))).containsExactly(
                "www.example.test. ANY A 0 ''",
                "www.example.test. ANY AAAA 0 ''",
                "www.example.test. ANY CNAME 0 ''",
                "www.example.test. IN CNAME 60 'standby.example.test.'");
    }

    @Test
    void renderIsNsupdateInput() {
        String text = UpdateMessages.render(UpdateMessages.build(SET.expecting("127.0.0.1")), "server 127.0.0.1 53");
        assertThat(text).isEqualTo("""
                server 127.0.0.1 53
                zone example.test.
                prereq yxrrset www.example.test. A 127.0.0.1
                update delete www.example.test. CNAME
                update delete www.example.test. A
                update add www.example.test. 30 A 127.0.10.2
                update add www.example.test. 30 A 127.0.10.3
                send
                """);
        assertThat(UpdateMessages.render(UpdateMessages.build(SET.expectingAbsent()), null))
                .contains("prereq nxrrset www.example.test. A\nprereq nxrrset www.example.test. CNAME\n");
    }

    @Test
    void previewShowsTheKeyByNameOnly() {
        TsigKey key = TsigKey.parse("k:" + TsigKeyTest.SECRET);
        String text = DnsUpdater.builder().tsigKey(key).build().preview(SET);
        assertThat(text).startsWith("# key hmac-sha256:k. (secret not shown)\n# server: the primary (SOA MNAME) of example.test.\n")
                .doesNotContain(TsigKeyTest.SECRET);
    }

    @Test
    void queriesAreNonRecursive() {
        Message q = UpdateMessages.query(SET.ownerName(), Type.A);
        assertThat(q.getHeader().getFlag(org.xbill.DNS.Flags.RD)).isFalse();
        assertThat(q.getOPT()).isNotNull();
    }

    private static Message roundTrip(Message m) throws Exception {
        return new Message(m.toWire());
    }

    private static List<String> lines(List<Record> records) {
        return records.stream().map(r -> r.getName() + " " + DClass.string(r.getDClass()) + " " + Type.string(r.getType())
                + " " + r.getTTL() + " '" + r.rdataToString() + "'").toList();
    }
}
