package nl.aware.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogLockedException;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.records.retention.LegalHolds;
import nl.aware.records.retention.LocationPurge;
import nl.aware.gateway.DataDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code aware retention}: purge of expired locations by destroying their keys, and legal holds (docs/retention.md).
 * Holds and releases go through the running server's staff API when one holds the log (its lock tells), else
 * they are recorded offline. The purge needs the server stopped; a running server purges on its own schedule
 * ({@code aware server --location-retention}).
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Location retention: purge expired locations (crypto-shredding; server stopped), legal holds "
                + "(through the running server when one holds the log).",
        subcommands = {RetentionCommand.Purge.class, RetentionCommand.Hold.class, RetentionCommand.Release.class})
final class RetentionCommand {

    /** Opens the log for appending (takes the lock: fails clearly while a server runs). */
    static EventLog openLog(DataDirectory data) throws IOException {
        if (!Files.isDirectory(data.log())) {
            throw new NoSuchFileException(data.log().toString(), null, "no event log here");
        }
        // One record at a time, each waited for: nothing would share its fsync, so no linger.
        return EventLog.open(EventLogOptions.defaults(data.log()).withoutLinger(), new SimpleMeterRegistry(),
                record -> { });
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Destroy the location keys of every calendar month (receive time, UTC) that lies wholly before "
                    + "now minus --older-than, after copying the frames of alerts under legal hold under a hold key and "
                    + "recording the purge in the log. The log is not rewritten and still verifies. Exit 0 done (or "
                    + "nothing to do), 1 the log stops it, 3 missing files or a running server.")
    static final class Purge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Deployment deployment;

        @Option(names = "--older-than", required = true, paramLabel = "PERIOD",
                description = "Retention period, ISO-8601, e.g. P90D.")
        Period olderThan;

        @Option(names = "--dry-run", description = "Say what would be purged and held; change nothing.")
        boolean dryRun;

        @Option(names = "--by", paramLabel = "NAME", description = "Who runs the purge (recorded; default: the OS user).")
        String by;

        @Override
        public Integer call() throws Exception {
            if (olderThan.isNegative() || olderThan.isZero()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--older-than must be a positive period, was "
                        + olderThan);
            }
            DataDirectory dir = deployment.data();
            DataKeyRing ring = deployment.keys();
            String who = by != null ? by : "aware retention purge (" + System.getProperty("user.name") + ")";
            var out = spec.commandLine().getOut();
            try (EventLog log = openLog(dir)) {
                LocationPurge.Plan plan;
                try {
                    plan = LocationPurge.plan(dir.log(), ring, Instant.now(), olderThan);
                } catch (LocationPurge.PurgeException e) {
                    spec.commandLine().getErr().println("purge: " + e.getMessage());
                    return AwareCommand.CHECK_FAILED;
                }
                out.printf("%s: locations received before %s (retention %s)%n", dryRun ? "dry run" : "purge",
                        plan.cutoff(), olderThan);
                out.printf("  months whose location keys %s destroyed: %s%n", dryRun ? "would be" : "are",
                        plan.months().isEmpty() ? "none" : plan.months());
                out.printf("  alerts under legal hold: %d; their frames %s copied under hold keys: %d%n",
                        plan.heldAlerts().size(), dryRun ? "to be" : "now", plan.toHold().size());
                out.printf("  released holds whose copies expire: %d; devices whose counter is kept: %d%n",
                        plan.releasedHolds().size(), plan.floors().size());
                if (dryRun || plan.nothingToDo()) {
                    out.println(plan.nothingToDo() ? "nothing to purge" : "dry run: nothing changed");
                    return 0;
                }
                String policy = olderThan.toString();
                EventCodec codec = new EventCodec(ring);
                for (Event event : LocationPurge.records(plan, policy, who)) {
                    log.append(EventCodec.typeOf(event), codec.encode(event)).join();
                }
                // Only now, with the held copies and the purge record durable and the lock still held.
                LocationPurge.destroyKeys(plan, ring, LocationPurge.note(LocalDate.now(ZoneOffset.UTC), policy));
                out.printf("purged: %d month key(s) and %d hold key(s) destroyed; recorded in the log at sequence %d%n",
                        plan.months().size(), plan.releasedHolds().size(), log.lastSequence());
                return 0;
            }
        }
    }

    abstract static class HoldChange implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Deployment deployment;

        @Option(names = "--alert", required = true, paramLabel = "UUID", description = "The alert (event id of its opening PANIC).")
        UUID alertId;

        @Option(names = "--reason", required = true, paramLabel = "TEXT",
                description = "Why (e.g. the case number); recorded in the log. No personal data.")
        String reason;

        @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who decides; recorded in the log "
                + "(offline; through a running server the signed-in account is recorded).")
        String by;

        @Mixin
        RunningServer running;

        /** The staff API route of this change. */
        abstract String route();

        abstract String refusal(LegalHolds holds);

        abstract Event event();

        abstract String done();

        @Override
        public Integer call() throws Exception {
            if (reason.isBlank() || by.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--reason and --by must not be blank");
            }
            DataDirectory dir = deployment.data();
            EventCodec codec = new EventCodec(deployment.keys());
            EventLog opened;
            try {
                opened = openLog(dir);
            } catch (LogLockedException held) {
                var answer = running.call(spec, dir, (client, token) -> client.post("/staff/v1/alerts/" + alertId + "/"
                        + route(), token, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("reason", reason)));
                if (answer == null) {
                    return AwareCommand.CHECK_FAILED;
                }
                spec.commandLine().getOut().printf("%s alert %s through the running server (by %s: %s)%n", done(),
                        alertId, running.user, reason);
                return 0;
            }
            try (EventLog log = opened) {
                String refused;
                try {
                    refused = refusal(LegalHolds.read(dir.log(), codec, alertId));
                } catch (EventFormatException e) {
                    refused = e.getMessage();
                }
                if (refused != null) {
                    spec.commandLine().getErr().println(spec.name() + ": " + refused);
                    return AwareCommand.CHECK_FAILED;
                }
                Event event = event();
                log.append(EventCodec.typeOf(event), codec.encode(event)).join();
                spec.commandLine().getOut().printf("%s alert %s (by %s: %s), recorded at sequence %d%n", done(),
                        alertId, by, reason, log.lastSequence());
                return 0;
            }
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = "Put an alert under legal hold: its locations survive the retention purge. Exit 1 when the alert "
                    + "is unknown, already held, or its locations were purged already.")
    static final class Hold extends HoldChange {
        @Override
        String route() {
            return "hold";
        }

        @Override
        String refusal(LegalHolds holds) {
            return holds.cannotHold(alertId);
        }

        @Override
        Event event() {
            return new Event.LegalHoldPlaced(alertId, by, reason);
        }

        @Override
        String done() {
            return "legal hold placed on";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Lift the legal hold of an alert: its locations are purged once their months have expired. "
                    + "Exit 1 when the alert is not under legal hold.")
    static final class Release extends HoldChange {
        @Override
        String route() {
            return "release";
        }

        @Override
        String refusal(LegalHolds holds) {
            return holds.isHeld(alertId) ? null : "alert " + alertId + " is not under legal hold";
        }

        @Override
        Event event() {
            return new Event.LegalHoldReleased(alertId, by, reason);
        }

        @Override
        String done() {
            return "legal hold released on";
        }
    }
}
