package nl.aware.gateway.cli;

import nl.aware.core.audit.AlertBundle;
import nl.aware.core.pki.DeviceIds;
import nl.aware.gateway.DataDirectory;
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
        description = "Export one alert as an evidence bundle that verifies offline: its log records with the hash "
                + "chain around them, the signed device frames, the device and CA certificates. Read-only; works "
                + "while the server runs. Exit 1 when the alert cannot be exported.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data;

    @Mixin
    KeyDirOption keys;

    @Option(names = "--alert", required = true, paramLabel = "UUID",
            description = "Alert id (the event id of the PANIC that opened it).")
    UUID alertId;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip|DIR",
            description = "Where to write the bundle: a zip file (name ending in .zip) or a new directory. Never overwritten.")
    Path out;

    @Override
    public Integer call() throws Exception {
        DataDirectory dir = data.data();
        if (!Files.isRegularFile(dir.caCertificate())) {
            throw new NoSuchFileException(dir.caCertificate().toString(), null,
                    "no device CA certificate: the bundle needs it to prove who issued the device certificate");
        }
        AlertBundle bundle;
        try {
            bundle = AlertBundle.export(dir.log(), dir.caCertificate(), keys.load(), alertId, Instant.now());
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
}
