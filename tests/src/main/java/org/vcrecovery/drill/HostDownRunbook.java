package org.vcrecovery.drill;

/**
 * The runbook of one VM of the host-down drill's scene ({@link HostDownScene}): its primary
 * domain on the KVM host ({@code primary.kvm-host}), its one standby of the VM's kind, an HTTP
 * check, its own DNS name, fenced by destroy.
 */
final class HostDownRunbook {
    private HostDownRunbook() {}

    static String of(HostDownScene s, int i) {
        String standby = switch (HostDownScene.kind(i)) {
            case WARM, COLD -> """
                      - name: %s
                        kind: %s
                        backend: lxc
                        options:
                          lxcpath: %s
                        address: %s
                    """.formatted(s.standbyName(i), HostDownScene.kind(i) == HostDownScene.Kind.WARM ? "warm-container" : "cold-container", s.lxcPath(),
                    s.standbyAddress(i));
            case SUSPENDED -> """
                      - name: hd-b%s
                        kind: suspended-vm
                        backend: libvirt
                        options:
                          uri: "%s"
                        address: %s
                    """.formatted(HostDownScene.nn(i), s.uri(), s.standbyAddress(i));
        };
        return """
                # Written by tests/drill --scenario host-down: VM %d of KVM host %s.
                service: %s
                zabbix-host: %s
                primary:
                  backend: libvirt
                  uri: "%s"
                  domain: hd-v%s
                  address: %s
                  kvm-host: %s
                standbys:
                %schecks:
                  - protocol: http
                    port: %d
                    timeout: 300ms
                dns:
                  server: %s
                  zone: %s
                  name: %s
                  type: A
                  ttl: 30
                  tsig-file: %s
                fencing:
                  mode: destroy
                limits:
                  check-timeout: 5s
                  deadline: 30s
                """.formatted(i, HostDownScene.KVM_HOST, s.name(i), s.name(i), s.uri(), HostDownScene.nn(i), s.primaryAddress(i), HostDownScene.KVM_HOST, standby, HostDownScene.PORT,
                s.env().get("DNS_SERVER"), s.zone(), s.name(i), s.env().get("DNS_TSIG_FILE"));
    }
}
