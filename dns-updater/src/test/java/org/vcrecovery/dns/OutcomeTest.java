package org.vcrecovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Rcode;

class OutcomeTest {
    @ParameterizedTest(name = "rcode {0} with TSIG error {1} is {2}")
    @CsvSource({
        "NOERROR,  NOERROR, APPLIED",
        "YXRRSET,  NOERROR, CONFLICT",
        "NXRRSET,  NOERROR, CONFLICT",
        "NXDOMAIN, NOERROR, CONFLICT",
        "YXDOMAIN, NOERROR, CONFLICT",
        "REFUSED,  NOERROR, REFUSED",
        "NOTIMP,   NOERROR, REFUSED",
        "NOTAUTH,  NOERROR, NOTAUTH",
        "NOTAUTH,  BADSIG,  BADSIG",
        "NOTAUTH,  BADKEY,  BADKEY",
        "NOTAUTH,  BADTIME, BADTIME",
        "NOTZONE,  NOERROR, NOTZONE",
        "SERVFAIL, NOERROR, SERVFAIL",
        "FORMERR,  NOERROR, FORMERR",
    })
    void replyCodesMapToOneOutcomeEach(String rcode, String tsigError, Outcome expected) {
        int r = Rcode.value(rcode);
        int t = tsigError.equals("NOERROR") ? 0 : Rcode.value(tsigError);
        assertThat(Outcome.classify(r, t)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: auth {1}, transport {2}")
    @CsvSource({
        "APPLIED, false, false", "CONFLICT, false, false", "NOTAUTH, true, false", "BADSIG, true, false",
        "BADKEY, true, false", "BADTIME, true, false", "TIMEOUT, false, true", "UNREACHABLE, false, true",
    })
    void outcomesKnowTheirClass(Outcome o, boolean auth, boolean transport) {
        assertThat(o.isAuthFailure()).isEqualTo(auth);
        assertThat(o.isTransportFailure()).isEqualTo(transport);
        assertThat(o.description()).isNotBlank();
    }
}
