package org.vcrecovery.vcr.pending;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which problem {@code vcr approve --held} takes: one whose latest vcr message (by time, then by
 * acknowledgement id within a second) is a held run's; not one a later vcr run handled otherwise,
 * nor one with only human messages or a message that merely mentions "held".
 */
class PendingEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "held once|[{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"vcr: web held: 3 failures in 60 s looks like a partition\"}]|true",
        "held, then a human note|[{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"},{\"acknowledgeid\":\"6\",\"clock\":\"101\",\"message\":\"looking\"}]|true",
        "held, then recovered|[{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"},{\"acknowledgeid\":\"6\",\"clock\":\"101\",\"message\":\"vcr: web recovered on web-warm\"}]|false",
        "held then failed, same second|[{\"acknowledgeid\":\"6\",\"clock\":\"100\",\"message\":\"vcr: web not recovered: no standby\"},{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"}]|false",
        "failed, then held|[{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"vcr: web not recovered\"},{\"acknowledgeid\":\"6\",\"clock\":\"102\",\"message\":\"vcr: web held: y\"}]|true",
        "a human quoting it|[{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"why was vcr: web held: ?\"}]|false",
        "no message|[]|false"})
    void aProblemIsHeldWhenItsLatestVcrMessageSaysSo(String name, String acks, boolean held) throws Exception {
        JsonNode problem = JSON.readTree("{\"eventid\":\"1\",\"acknowledges\":" + acks + "}");
        assertThat(PendingEvents.lastHeld(problem)).isEqualTo(held);
    }
}
