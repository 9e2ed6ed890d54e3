package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the JVM's command line says a VM failed, libvirt is loaded at start-up. */
class PreloadTest {
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "org.vcrecovery.vcr.Vcr recover --event-id 7 --trigger-host kvm1 --vm web-vm | true",
        "org.vcrecovery.vcr.Vcr recover --vm=web-vm | true",
        "org.vcrecovery.vcr.Vcr recover --runbook web | false",
        "org.vcrecovery.vcr.Vcr recover --runbook --vmx | false",
        "org.vcrecovery.vcr.Vcr recover --trigger-host my--vm | false",
        "null | false"})
    void libvirtIsPreloadedOnlyWhenTheCommandNamesAVm(String commandLine, boolean preload) {
        assertThat(Preload.namesVm(commandLine)).isEqualTo(preload);
    }
}
