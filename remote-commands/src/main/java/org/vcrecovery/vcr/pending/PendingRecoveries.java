package org.vcrecovery.vcr.pending;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.hostdown.HostDownRun;
import org.vcrecovery.vcr.recover.AnsweredQuestions;
import org.vcrecovery.vcr.recover.RecoverRequest;
import org.vcrecovery.vcr.recover.RecoverRun;
import org.vcrecovery.vcr.recover.ZabbixApiPort;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ProblemsAndGuard;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * {@code vcr recover --pending}: the one command the Zabbix actions run. Asks the API for the
 * pending vcrecovery problems ({@link PendingEvents}), keeps those a runbook of this host is for
 * (the VM's {@code domain}, else the trigger host's {@code zabbix-host}), and runs each exactly as
 * {@code vcr recover --event-id ID [--trigger-host HOST] [--vm VM]} with this command's
 * {@code --config}, {@code --runbooks}, {@code --state-dir}, {@code --json}, {@code --plan} and
 * {@code --verbose}: same locks, dedup, checks, acknowledgement and report, per event. At most
 * {@value #PARALLEL} events run at once. With {@code --standby NAME} (the 7.0 host menu's choice,
 * {@link StandbyChoice}) only the events whose runbook has that standby run, each with that
 * standby only; a name no runbook here has is USAGE before Zabbix is asked.
 * The runs' first questions to Zabbix (their runbook
 * hosts' maintenance, the kill-switch macro) go out in the same request as {@code problem.get};
 * each run takes from that answer what it can tell for its event ({@link AnsweredQuestions}) and
 * asks the rest itself.
 *
 * <p>stdout: each event's output in event order, or one line saying there is nothing to do; the
 * problems left out for a reason go to stderr. Exit code: that of the first event whose run ended
 * other than 0, 9 (another run holds its lock) or 10 (already recovered); else 0. No Zabbix API in
 * the config is USAGE; an API that does not answer is UNREACHABLE, refused credentials AUTH, both
 * before anything changed.
 */
public final class PendingRecoveries {
    static final int PARALLEL = 8;

    private PendingRecoveries() {}

    /** Runs {@code r}, a {@code --pending} request (its other options: config paths, plan, json, verbose). */
    public static int run(RecoverRequest r, PrintWriter out, PrintWriter err) {
        VcrConfig cfg = ConfigOptions.of(r.config(), r.runbooks(), r.stateDir()).load(r.environment());
        if (cfg.zabbix() == null) {
            throw new VcrException(ExitCode.USAGE, "--pending reads the pending problems from the Zabbix API, and vcr.yaml has no"
                    + " zabbix section (url, token-file or user and password-file); nothing was changed");
        }
        RunbookCatalog catalog = new RunbookCatalog(cfg.runbookDir());
        String standby = r.standby() == null ? null : StandbyChoice.check(r.standby(), catalog);
        PendingEvents.Result found;
        AnsweredQuestions seen;
        try (ZabbixApi api = ZabbixApiPort.client(cfg.zabbix(), ZabbixApiPort.secret(cfg.zabbix()))) {
            // The runs' first questions (their hosts' maintenance, the kill switch) go out with problem.get.
            ProblemsAndGuard answers = api.problemsAndGuard(PendingEvents.query(), catalog.mentions("zabbix-host"), KillSwitch.MACRO);
            found = PendingEvents.read(api, answers);
            seen = new AnsweredQuestions(found.events().stream().map(PendingEvents.Event::eventId).toList(), answers);
        } catch (ZabbixApiException e) {
            throw failure(e);
        }
        found.tell(err);
        List<PendingEvents.Event> here = new ArrayList<>();
        for (PendingEvents.Event e : found.events()) {
            if (heldHere(catalog, e) && (standby == null || StandbyChoice.offeredBy(catalog, e, standby, err))) here.add(e);
        }
        if (here.isEmpty()) {
            out.println("no pending vcrecovery problem for the runbooks in " + catalog.dir()
                    + (standby == null ? "" : " with standby " + standby) + " ("
                    + found.events().size() + " pending in Zabbix)");
            out.flush();
            err.flush();
            return ExitCode.OK.code();
        }
        return runAll(r, here, seen, out, err);
    }

    /** Runs {@code events} as {@link #run} does; {@code seen}: questions already answered for them, or null. */
    static int runAll(RecoverRequest r, List<PendingEvents.Event> events, AnsweredQuestions seen, PrintWriter out,
                      PrintWriter err) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, events.size()), t -> {
            Thread th = new Thread(t, "vcr-pending");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<Outcome>> runs = new ArrayList<>();
            for (PendingEvents.Event e : events) runs.add(pool.submit(() -> one(r, e, seen, err)));
            int exit = ExitCode.OK.code();
            for (Future<Outcome> f : runs) {
                Outcome o = await(f);
                out.print(o.out());
                if (exit == 0 && o.exit() != 0 && o.exit() != ExitCode.IN_PROGRESS.code() && o.exit() != ExitCode.DUPLICATE.code()) {
                    exit = o.exit();
                }
            }
            out.flush();
            return exit;
        } finally {
            pool.shutdown();
            err.flush();
        }
    }

    private record Outcome(int exit, String out) {}

    /** One event's run, as {@code vcr recover} with its arguments would run in this process. */
    private static Outcome one(RecoverRequest r, PendingEvents.Event e, AnsweredQuestions seen, PrintWriter err) {
        if (e.vm() == null && HostDownRun.forKvmHost(new RunbookCatalog(
                ConfigOptions.of(r.config(), r.runbooks(), r.stateDir()).load(r.environment()).runbookDir()), e.triggerHost())) {
            return hostDown(r, e, err);
        }
        RecoverRequest q = new RecoverRequest(null, e.eventId(), e.triggerHost(), e.vm(), r.standby(), r.plan(), r.json(), false, false,
                false, r.verbose(), r.config(), r.runbooks(), r.stateDir(), r.environment());
        StringWriter buf = new StringWriter();
        PrintWriter eventOut = new PrintWriter(buf);
        int exit;
        try {
            exit = RecoverRun.execute(q, eventOut, err, seen);
        } catch (VcrException x) {
            err.println("vcr: " + e.describe() + ": " + x.getMessage());
            exit = x.exitCode().code();
        } catch (RuntimeException x) {
            err.println("vcr: " + e.describe() + ": unexpected error: " + x);
            if (r.verbose()) x.printStackTrace(err);
            exit = ExitCode.FAILED.code();
        }
        eventOut.flush();
        err.flush();
        return new Outcome(exit, buf.toString());
    }

    /** A KVM host's host-down problem: every VM of it, as {@code vcr recover --host-down HOST --event-id ID}. */
    private static Outcome hostDown(RecoverRequest r, PendingEvents.Event e, PrintWriter err) {
        StringWriter buf = new StringWriter();
        PrintWriter eventOut = new PrintWriter(buf);
        int exit;
        try {
            exit = HostDownRun.run(e.triggerHost(), e.eventId(), r.plan(), r.json(),
                    ConfigOptions.of(r.config(), r.runbooks(), r.stateDir()), r.environment(), List.of(), eventOut, err);
        } catch (VcrException x) {
            err.println("vcr: " + e.describe() + ": " + x.getMessage());
            exit = x.exitCode().code();
        } catch (RuntimeException x) {
            err.println("vcr: " + e.describe() + ": unexpected error: " + x);
            if (r.verbose()) x.printStackTrace(err);
            exit = ExitCode.FAILED.code();
        }
        eventOut.flush();
        err.flush();
        return new Outcome(exit, buf.toString());
    }

    private static Outcome await(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(ExitCode.FAILED.code(), "");
        } catch (ExecutionException e) {
            return new Outcome(ExitCode.FAILED.code(), "vcr: unexpected error: " + e.getCause() + "\n");
        }
    }

    /**
     * Whether a runbook of this host is for {@code e} ({@link PendingEvents.Event#runbookIn}). A
     * runbook that mentions it but cannot be read counts as held: the event's run then says what is
     * wrong with it.
     */
    static boolean heldHere(RunbookCatalog catalog, PendingEvents.Event e) {
        if (e.vm() == null && HostDownRun.forKvmHost(catalog, e.triggerHost())) return true;
        try {
            return e.runbookIn(catalog) != null;
        } catch (VcrException x) {
            return true;
        }
    }

    static VcrException failure(ZabbixApiException e) {
        return failure(e, "pending", "changed");
    }

    /** The API's failure while asking for the {@code which} problems, before anything was {@code done} (exit 3, 4 or 5). */
    static VcrException failure(ZabbixApiException e, String which, String done) {
        String m = "asking Zabbix for the " + which + " problems: " + e.getMessage() + "; nothing was " + done;
        return switch (e.reason()) {
            case AUTH_FAILED -> new VcrException(ExitCode.AUTH, m, e);
            case TIMEOUT, UNREACHABLE, HTTP_STATUS -> new VcrException(ExitCode.UNREACHABLE, m, e);
            default -> new VcrException(ExitCode.REFUSED, m, e);
        };
    }
}
