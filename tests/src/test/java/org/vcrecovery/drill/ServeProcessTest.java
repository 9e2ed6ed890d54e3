package org.vcrecovery.drill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The drill tells a served run by vcr serve's log line for the run's event, and by nothing else. */
class ServeProcessTest {
    static final String LOG = """
            vcr serve: listening on 127.0.0.1:41234 for vcr recover (address file /x/serve.addr, up to 16 runs at once)
            vcr serve: refused a request from port 50100: denied
            vcr serve: vcr recover --event-id 1200 --trigger-host drill-kvm --vm drill-web -> exit 0 in 61 ms
            vcr serve: vcr recover --trigger-host drill-kvm --vm drill-web -> exit 2 in 3 ms
            vcr serve: vcr recover --event-id 12000 --trigger-host drill-kvm --vm drill-web -> exit 13 in 40 ms
            """;

    @Test
    void theRunOfTheEventIsFoundWithItsExitCodeAndTime() {
        assertThat(ServeProcess.find(LOG, "1200")).contains(new ServeProcess.Run(0, 61));
        assertThat(ServeProcess.find(LOG, "12000")).contains(new ServeProcess.Run(13, 40));
    }

    @Test
    void thePendingLineTheActionsRunIsTheRunOfTheEventWhenNoLineNamesIt() {
        String log = LOG + "vcr serve: vcr recover --pending -> exit 0 in 75 ms\nvcr serve: vcr recover --pending -> exit 9 in 5 ms\n";
        assertThat(ServeProcess.find(log, "4711")).contains(new ServeProcess.Run(0, 75));
        assertThat(ServeProcess.find(log, "1200")).contains(new ServeProcess.Run(0, 61));
    }

    @Test
    void anEventTheServerNeverRanWasNotServed() {
        assertThat(ServeProcess.find(LOG, "120")).isEmpty();
        assertThat(ServeProcess.find(LOG, "drill-kvm")).isEmpty();
        assertThat(ServeProcess.find("", "1200")).isEmpty();
    }
}
