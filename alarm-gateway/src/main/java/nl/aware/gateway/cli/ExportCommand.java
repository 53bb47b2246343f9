package nl.aware.gateway.cli;

import nl.aware.records.evidence.AlertBundle;
import nl.aware.records.evidence.RangeBundle;
import nl.aware.core.pki.DeviceIds;
import nl.aware.gateway.DataDirectory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code aware log export}: one alert as a self-contained evidence bundle (docs/evidence.md). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export one alert (--alert) or every alert of a time range (--from/--to) as an evidence bundle that verifies offline: its log records with the hash "
                + "chain around them, the signed device frames, the device and CA certificates. Read-only; works "
                + "while the server runs. Exit 1 when the alert cannot be exported.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Deployment deployment;

    static final class Selection {
        @Option(names = "--alert", required = true, paramLabel = "UUID",
                description = "One alert: its id (the event id of the PANIC that opened it).")
        UUID alertId;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, paramLabel = "INSTANT",
                description = "Every alert whose opening press was received at or after this ISO instant, e.g. 2026-11-01T00:00:00Z ...")
        Instant from;

        @Option(names = "--to", required = true, paramLabel = "INSTANT",
                description = "... and before this one. Writes a container of per-alert bundles.")
        Instant to;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip|DIR",
            description = "Where to write the bundle: a zip file (name ending in .zip) or a new directory. Never overwritten.")
    Path out;

    @Override
    public Integer call() throws Exception {
        DataDirectory dir = deployment.data();
        if (!Files.isRegularFile(dir.caCertificate())) {
            throw new NoSuchFileException(dir.caCertificate().toString(), null,
                    "no device CA certificate: the bundle needs it to prove who issued the device certificate");
        }
        if (selection.range != null) {
            return exportRange(dir, selection.range);
        }
        UUID alertId = selection.alertId;
        String notAnAlert = AlertIdCheck.refusal(dir, deployment.keys(), alertId);
        if (notAnAlert != null) {
            spec.commandLine().getErr().println("export: " + notAnAlert);
            return AwareCommand.CHECK_FAILED;
        }
        AlertBundle bundle;
        try {
            bundle = AlertBundle.export(dir.log(), dir.caCertificate(), deployment.keys(), alertId, Instant.now());
        } catch (AlertBundle.ExportException e) {
            spec.commandLine().getErr().println("export: " + e.getMessage());
            return AwareCommand.CHECK_FAILED;
        }
        bundle.write(out);
        spec.commandLine().getOut().printf("exported alert %s of device %s: log records %d..%d (%d of this alert, "
                        + "%d signed frames) to %s%nit holds the carrier's locations: keep it as confidential as the case file%n",
                alertId, DeviceIds.format(bundle.deviceId()), bundle.firstSequence(), bundle.lastSequence(),
                bundle.alertRecords(), bundle.frames(), out);
        return 0;
    }

    private int exportRange(DataDirectory dir, Range range) throws Exception {
        if (!range.from.isBefore(range.to)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from " + range.from + " must be before --to "
                    + range.to);
        }
        RangeBundle bundle;
        try {
            bundle = RangeBundle.export(dir.log(), dir.caCertificate(), deployment.keys(), range.from, range.to, Instant.now());
        } catch (AlertBundle.ExportException e) {
            spec.commandLine().getErr().println("export: " + e.getMessage());
            return AwareCommand.CHECK_FAILED;
        }
        bundle.write(out);
        long anchored = bundle.alerts().stream().filter(a -> a.checkpointSequence() > 0).count();
        spec.commandLine().getOut().printf("exported %d alert(s) whose press was received from %s to %s (%d anchored by "
                        + "a signed checkpoint) to %s%nit holds the carriers' locations: keep it as confidential as the "
                        + "case files%n", bundle.alerts().size(), range.from, range.to, anchored, out);
        if (bundle.purgedFrames() > 0) {
            spec.commandLine().getOut().printf("%d frame(s) of the range could not be read: their location was purged "
                    + "under the retention policy (alerts not under legal hold)%n", bundle.purgedFrames());
        }
        return 0;
    }
}
