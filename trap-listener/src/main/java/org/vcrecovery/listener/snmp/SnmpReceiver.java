package org.vcrecovery.listener.snmp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.event.CounterListener;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.Priv3DES;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.MultiThreadedMessageDispatcher;
import org.snmp4j.util.ThreadPool;
import org.vcrecovery.listener.ConfigLoader;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.Pipeline;
import org.vcrecovery.listener.RateLimitedLog;
import org.vcrecovery.listener.Stats;

/**
 * Receives SNMPv1/v2c/v3 traps and informs on one UDP address and hands them to the
 * {@link Pipeline}.
 *
 * <p><b>Acknowledgement.</b> An INFORM is answered only after its values are durable in the
 * spool (fsync'd), so an answered inform survives SIGKILL; if the spool write fails or takes
 * more than 5 s no answer goes out and the sender retries. The answer is sent from its own
 * thread so waiting for the disk never holds up the traps behind it.
 *
 * <p><b>Order.</b> With {@code snmp.threads: 1} (the default) PDUs are handed to the spool in
 * arrival order, so the states of one VM reach Zabbix in the order they were received; more
 * threads decode in parallel and may swap two traps that arrive within microseconds. A TRAP has no acknowledgement in
 * SNMP: it is durable a few milliseconds after arrival (one group commit); a trap that arrives
 * in that window, or still sits in the kernel's socket buffer, is lost if the process is killed.
 *
 * <p><b>Rejected traffic.</b> Only a message that passes every check reaches the pipeline (and
 * may create a VM there): its source is in {@code snmp.sources} (when that list is set); a
 * v1/v2c message carries a configured community (none configured: every v1/v2c message is
 * refused); a v3 message authenticates as a configured user at that user's security level or
 * higher (a user with auth and priv protocols refuses noAuthNoPriv and authNoPriv messages,
 * which SNMP4J's USM would otherwise accept: RFC 3414 leaves the minimum level to the
 * application). Anything else, and a packet that is not SNMP or fails v3 authentication or
 * decryption, is counted in {@link Stats#trapsInvalid} and dropped without a reply.
 * Communities and v3 passphrases are never logged.
 */
public final class SnmpReceiver implements CommandResponder, Closeable {
    private static final Logger log = LoggerFactory.getLogger(SnmpReceiver.class);
    private static final Set<OID> INVALID_COUNTERS = Set.of(
            SnmpConstants.snmpInASNParseErrs, SnmpConstants.snmpInBadVersions, SnmpConstants.snmpInvalidMsgs,
            SnmpConstants.snmpUnknownSecurityModels, SnmpConstants.snmpUnknownPDUHandlers,
            SnmpConstants.usmStatsUnsupportedSecLevels, SnmpConstants.usmStatsUnknownUserNames,
            SnmpConstants.usmStatsWrongDigests, SnmpConstants.usmStatsDecryptionErrors);

    private final ListenerConfig config;
    private final Pipeline pipeline;
    private final Stats stats;
    private final TrapDecoder decoder = new TrapDecoder();
    private final RateLimitedLog rejectedLog = new RateLimitedLog(log, 10_000);
    private final List<byte[]> communities = new ArrayList<>();
    private final Map<String, Integer> requiredLevel = new HashMap<>();
    private final LocalEngine engine;
    private final ExecutorService responder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "snmp-inform-responder");
        t.setDaemon(true);
        return t;
    });
    private Snmp snmp;
    private ThreadPool pool;
    private DefaultUdpTransportMapping transport;

    public SnmpReceiver(ListenerConfig config, LocalEngine engine, Pipeline pipeline, Stats stats) {
        this.config = config;
        this.engine = engine;
        this.pipeline = pipeline;
        this.stats = stats;
        for (String c : config.communities()) communities.add(c.getBytes(StandardCharsets.UTF_8));
        for (ListenerConfig.V3User u : config.v3Users()) requiredLevel.put(u.name(), u.requiredLevel());
    }

    /** Binds the UDP socket and starts receiving; throws when the address cannot be bound. */
    public void start() throws IOException {
        InetSocketAddress a = config.snmpListen();
        UdpAddress addr = new UdpAddress(InetAddress.getByName(a.getHostString()), a.getPort());
        transport = new DefaultUdpTransportMapping(addr, true);
        transport.setReceiveBufferSize(4 << 20);
        CounterSupport counters = new CounterSupport();
        CounterListener invalid = this::counted;
        counters.addCounterListener(invalid);
        MessageDispatcher dispatcher;
        MessageDispatcherImpl filtering = new SourceFilteringDispatcher(config.snmpSources(), this::refusedSource);
        if (config.snmpThreads() > 1) {
            pool = ThreadPool.create("snmp-worker", config.snmpThreads());
            dispatcher = new MultiThreadedMessageDispatcher(pool, filtering);
        } else {
            // One thread: decode on the socket's receive thread itself, in arrival order, without a
            // hand-off per packet (the pipeline never blocks it on the disk: informs are answered
            // asynchronously; only a full spool queue pushes back, into the socket buffer).
            dispatcher = filtering;
            // Processing finishes before the next receive, so one buffer serves every packet
            // (the async mode allocates a fresh 64 KiB array per datagram).
            transport.setAsyncMsgProcessingSupported(false);
        }
        dispatcher.addCounterListener(invalid);
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility);
        OctetString engineId = new OctetString(engine.engineId());
        USM usm = new USM(protocols, engineId, engine.boots(), counters);
        for (ListenerConfig.V3User u : config.v3Users()) usm.addUser(usmUser(u));
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(engine.engineId(), null, protocols, models, counters));
        snmp = new Snmp(dispatcher, transport);
        snmp.addCommandResponder(this);
        snmp.listen();
        for (String c : config.communities()) {
            if (c.equals("public") || c.equals("private")) {
                log.warn("snmp: a well-known community is configured: anyone who can reach udp {} can report VM failures;"
                        + " use a random community, or v3 users, and snmp.sources", a.getPort());
            }
        }
        log.info("snmp: listening on udp {}:{} (v1/v2c communities: {}, v3 users: {}, sources: {})",
                a.getHostString(), transport.getListenAddress().getPort(), communities.size(), config.v3Users().size(), config.snmpSources());
    }

    /** The bound UDP port (useful with port 0). */
    public int port() {
        return transport.getListenAddress().getPort();
    }

    private void refusedSource(org.snmp4j.smi.Address from) {
        stats.trapsInvalid.increment();
        rejectedLog.warn("snmp: refused a message from {}: source not in snmp.sources", sourceOf(from));
    }

    private void counted(CounterEvent e) {
        if (INVALID_COUNTERS.contains(e.getOid())) {
            stats.trapsInvalid.increment();
            rejectedLog.warn("snmp: dropped a message that is not valid SNMP or fails v3 security (counter {})", e.getOid());
        }
    }

    private static UsmUser usmUser(ListenerConfig.V3User u) throws IOException {
        OID auth = switch (u.authProtocol()) {
            case "MD5" -> AuthMD5.ID;
            case "SHA" -> AuthSHA.ID;
            case "SHA224" -> AuthHMAC128SHA224.ID;
            case "SHA256" -> AuthHMAC192SHA256.ID;
            case "SHA384" -> AuthHMAC256SHA384.ID;
            case "SHA512" -> AuthHMAC384SHA512.ID;
            default -> null;
        };
        OID priv = switch (u.privProtocol()) {
            case "DES" -> PrivDES.ID;
            case "3DES" -> Priv3DES.ID;
            case "AES", "AES128" -> PrivAES128.ID;
            case "AES192" -> PrivAES192.ID;
            case "AES256" -> PrivAES256.ID;
            default -> null;
        };
        OctetString authPass = auth == null ? null : new OctetString(ConfigLoader.readSecret(u.authPasswordFile()));
        OctetString privPass = priv == null ? null : new OctetString(ConfigLoader.readSecret(u.privPasswordFile()));
        return new UsmUser(new OctetString(u.name()), auth, authPass, priv, privPass, UsmUser.LocalizationGrant.any);
    }

    @Override
    public <A extends org.snmp4j.smi.Address> void processPdu(CommandResponderEvent<A> event) {
        PDU pdu = event.getPDU();
        if (pdu == null) return;
        event.setProcessed(true);
        String refusal = refusal(event);
        if (refusal != null) {
            stats.trapsInvalid.increment();
            rejectedLog.warn("snmp: refused a message from {}: {}", sourceOf(event.getPeerAddress()), refusal);
            return;
        }
        stats.trapsReceived.increment();
        String source = sourceOf(event.getPeerAddress());
        try {
            CompletableFuture<Void> durable = pipeline.trap(decoder.decode(pdu, source, Instant.now()));
            if (pdu.getType() == PDU.INFORM) {
                // Answer once durable, without holding this thread (the next trap keeps flowing).
                durable.orTimeout(5, TimeUnit.SECONDS).whenCompleteAsync((ok, failure) -> {
                    if (failure == null) respond(event, pdu);
                    else log.warn("inform from {} not answered: not durable in the spool ({})", source, failure.toString());
                }, responder);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("trap from {} not processed: {}", source, e.toString());
        }
    }

    /** Why {@code event} is refused (no secret in the text), or null when it passed every check. */
    private String refusal(CommandResponderEvent<?> event) {
        if (!(event.getPeerAddress() instanceof org.snmp4j.smi.IpAddress ip)) return "not an IP source";
        if (!config.snmpSources().allows(ip.getInetAddress())) return "source not in snmp.sources";
        int mp = event.getMessageProcessingModel();
        if (mp == MPv1.ID || mp == MPv2c.ID) {
            if (communities.isEmpty()) return "v1/v2c refused: no snmp.communities configured";
            return communityAccepted(event.getSecurityName()) ? null : "community not configured";
        }
        if (mp == MPv3.ID) {
            byte[] name = event.getSecurityName();
            Integer need = name == null ? null : requiredLevel.get(new String(name, StandardCharsets.UTF_8));
            if (need == null) return "v3 user not configured";
            if (event.getSecurityLevel() < need) {
                return "v3 user " + new String(name, StandardCharsets.UTF_8) + " sent security level " + event.getSecurityLevel()
                        + ", configured " + need + " (1 noAuthNoPriv, 2 authNoPriv, 3 authPriv)";
            }
            return null;
        }
        return "unknown message processing model " + mp;
    }

    private boolean communityAccepted(byte[] name) {
        if (name == null) return false;
        for (byte[] c : communities) {
            if (java.security.MessageDigest.isEqual(c, name)) return true;
        }
        return false;
    }

    private static String sourceOf(org.snmp4j.smi.Address a) {
        if (a instanceof org.snmp4j.smi.IpAddress ip) return ip.getInetAddress().getHostAddress();
        return String.valueOf(a);
    }

    private static <A extends org.snmp4j.smi.Address> void respond(CommandResponderEvent<A> event, PDU pdu) {
        PDU response = (PDU) pdu.clone();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(PDU.noError);
        response.setErrorIndex(0);
        try {
            event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(), event.getSecurityModel(),
                    event.getSecurityName(), event.getSecurityLevel(), response, event.getMaxSizeResponsePDU(),
                    event.getStateReference(), new StatusInformation());
        } catch (MessageException e) {
            log.warn("cannot answer inform from {}: {}", event.getPeerAddress(), e.getMessage());
        }
    }

    /** Stops receiving: closes the socket and the worker threads (after their current PDU). */
    @Override
    public void close() throws IOException {
        if (snmp != null) snmp.close();
        if (pool != null) pool.stop();
        responder.shutdown();
        log.info("snmp: stopped");
    }
}
