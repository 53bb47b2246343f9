package nl.aware.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.core.state.ServerState;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.PkiSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;

/**
 * Enrolment and revocation are events in the log. These commands append them with the server
 * stopped (the log's lock says so plainly when it is not).
 */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Enrol, revoke and list devices.",
        subcommands = {DeviceCommand.Enroll.class, DeviceCommand.Revoke.class, DeviceCommand.ListDevices.class})
final class DeviceCommand {

    static long parseId(String text) {
        return DeviceIds.parse(text);
    }

    /** Lets picocli report a bad region as a usage error listing the regions served. */
    static final class RegionConverter implements picocli.CommandLine.ITypeConverter<Region> {
        @Override
        public Region convert(String value) {
            try {
                return Region.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Appends one event to the log with the server stopped, waiting until it is durable. */
    static void append(DataDirectory data, Event event) throws IOException {
        try (EventLog log = AwareServer.openLog(data, new SimpleMeterRegistry(), new ServerState())) {
            log.append(EventCodec.typeOf(event), EventCodec.encode(event)).join();
        }
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Issue a device certificate (CN = the 16-hex-digit id) and key, write them for the device, and record the enrolment.")
    static final class Enroll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Option(names = "--id", required = true, description = "Device id, 16 hex digits.")
        String id;

        @Option(names = "--region", required = true, converter = RegionConverter.class,
                description = "Police region of the carrier: ijsselland or twente.")
        Region region;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Directory for the device's files: <id>.pem, <id>.key.pem and <id>.p12, plus ca.pem.")
        Path out;

        @Option(names = "--p12-password", arity = "0..1", interactive = true,
                description = "Password for the PKCS#12 file (prompted when given without a value; no .p12 without it).")
        char[] p12Password;

        @Override
        public Integer call() throws Exception {
            long deviceId = parseId(id);
            DataDirectory dir = data.data();
            dir.requirePki();
            CertificateAuthority ca = CertificateAuthority.load(dir.caCertificate(), dir.caKey());
            IssuedCredential credential = ca.issueDevice(deviceId, PkiSetup.DEVICE_VALIDITY);
            String name = DeviceIds.format(deviceId);
            Files.createDirectories(out);
            credential.writePem(out.resolve(name + ".pem"), out.resolve(name + ".key.pem"));
            if (p12Password != null && p12Password.length > 0) {
                credential.writePkcs12(out.resolve(name + ".p12"), p12Password, name);
            }
            if (!Files.exists(out.resolve("ca.pem"))) {
                Files.copy(dir.caCertificate(), out.resolve("ca.pem"));
            }
            append(dir, new Event.DeviceEnrolled(deviceId, region, credential.certificate().getEncoded()));
            spec.commandLine().getOut().printf("enrolled device %s; its credentials are in %s%n", name, out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a device: its connections and frames are refused from the next start.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Option(names = "--id", required = true, description = "Device id, 16 hex digits.")
        String id;

        @Option(names = "--reason", required = true,
                description = "Short operational reason (e.g. 'reported lost'). Never a name or address.")
        String reason;

        @Override
        public Integer call() throws Exception {
            long deviceId = parseId(id);
            ServerState state = new ServerState();
            AwareServer.openLog(data.data(), new SimpleMeterRegistry(), state).close();
            if (state.devices().find(deviceId).isEmpty()) {
                throw new IllegalArgumentException("device " + DeviceIds.format(deviceId) + " is not enrolled");
            }
            append(data.data(), new Event.DeviceRevoked(deviceId, reason));
            spec.commandLine().getOut().printf("revoked device %s%n", DeviceIds.format(deviceId));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List enrolled devices and their standing.")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Override
        public Integer call() throws Exception {
            ServerState state = new ServerState();
            AwareServer.openLog(data.data(), new SimpleMeterRegistry(), state).close();
            var out = spec.commandLine().getOut();
            out.printf("%-16s  %-10s  %-8s  %s%n", "device", "region", "standing", "certificate expires");
            state.devices().all().stream().sorted(Comparator.comparingLong(DeviceRegistry.Device::deviceId))
                    .forEach(d -> out.printf("%-16s  %-10s  %-8s  %s%n", DeviceIds.format(d.deviceId()), d.region().label(),
                            d.revoked() ? "revoked" : "active", d.certificate().getNotAfter().toInstant()));
            out.printf("%d devices%n", state.devices().size());
            return 0;
        }
    }
}
