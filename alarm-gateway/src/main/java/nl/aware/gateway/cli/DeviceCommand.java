package nl.aware.gateway.cli;

import nl.aware.core.state.CarrierRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.event.DecodedLog;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.store.EventStore;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.core.state.ServerState;
import nl.aware.gateway.ConfigurationException;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.PkiSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Enrolment and revocation are events in the log. These commands append them with the server
 * stopped (the log's lock says so plainly when it is not); listing reads the log without the lock.
 */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Enrol, revoke and list devices.",
        subcommands = {DeviceCommand.Enroll.class, DeviceCommand.Revoke.class, DeviceCommand.ListDevices.class})
final class DeviceCommand {

    /** Lets picocli report a bad device id as a usage error (exit 2) with what is expected. */
    static final class DeviceIdConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return DeviceIds.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The device a command acts on. */
    static final class DeviceIdOption {
        @Option(names = "--id", required = true, converter = DeviceIdConverter.class, paramLabel = "HEX16",
                description = "Device id, 16 hex digits.")
        long id;
    }

    /** Lets picocli report a bad region as a usage error listing the regions served. */
    static final class RegionConverter implements CommandLine.ITypeConverter<Region> {
        @Override
        public Region convert(String value) {
            try {
                return Region.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Appends one event and waits until it is durable. */
    static void append(EventStore log, Event event) {
        log.append(event).join();
    }

    /** The state the log describes, read without taking the lock (works while the server runs). */
    static ServerState readState(DataDirectory data, EventCodec codec) throws IOException, ConfigurationException {
        data.requirePki();
        ServerState state = new ServerState();
        if (Files.isDirectory(data.log())) {
            DecodedLog.Result result = DecodedLog.read(data.log(), codec, state::apply);
            if (!result.verification().intact()) {
                throw new IOException("the event log in " + data.log() + " is damaged: "
                        + result.verification().problem().description() + " (run `aware log verify`)");
            }
            if (result.firstFailure() != null) {
                throw new IOException("record " + result.firstFailure().sequence() + " of the event log in " + data.log()
                        + " cannot be read: " + result.firstFailure().reason().getMessage()
                        + " (are these the deployment's data keys?)");
            }
        }
        return state;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Issue a device certificate (CN = the 16-hex-digit id) and key, write them for the device, and record the enrolment.")
    static final class Enroll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WritableLog deployment;

        @Mixin
        DeviceIdOption device;

        @Option(names = "--carrier", required = true, paramLabel = "UUID",
                description = "The registered carrier who gets the device (aware carrier register); the device "
                        + "serves the carrier's region.")
        UUID carrierId;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Directory for the device's files: <id>.pem, <id>.key.pem and <id>.p12, plus ca.pem.")
        Path out;

        @Option(names = "--p12-password", arity = "0..1", interactive = true,
                description = "Password for the PKCS#12 file (prompted when given without a value; no .p12 without it).")
        char[] p12Password;

        @Override
        public Integer call() throws Exception {
            if (p12Password != null && p12Password.length == 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--p12-password was given but empty: a PKCS#12 file needs a password");
            }
            DataDirectory dir = deployment.data();
            dir.requirePki();
            CertificateAuthority ca = CertificateAuthority.load(dir.caCertificate(), dir.caKey());
            String name = DeviceIds.format(device.id);
            // The lock first: nothing is written for a device when its enrolment cannot be recorded.
            EventCodec codec = deployment.codec();
            ServerState state = new ServerState();
            Region region;
            try (EventStore log = deployment.open(codec, state)) {
                region = state.carriers().find(carrierId).map(CarrierRegistry.Carrier::region).orElseThrow(() ->
                        new IllegalArgumentException("no carrier " + carrierId + " is registered; register one with "
                                + "`aware carrier register`"));
                IssuedCredential credential = ca.issueDevice(device.id, PkiSetup.DEVICE_VALIDITY);
                Files.createDirectories(out);
                credential.writePem(out.resolve(name + ".pem"), out.resolve(name + ".key.pem"));
                if (p12Password != null) {
                    credential.writePkcs12(out.resolve(name + ".p12"), p12Password, name);
                }
                if (!Files.exists(out.resolve("ca.pem"))) {
                    Files.copy(dir.caCertificate(), out.resolve("ca.pem"));
                }
                append(log, new Event.DeviceEnrolled(device.id, region, credential.certificate().getEncoded()));
                append(log, new Event.DeviceAssigned(device.id, carrierId));
            }
            spec.commandLine().getOut().printf("enrolled device %s in %s; its credentials are in %s%n", name,
                    region.label(), out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a device: its connections and frames are refused from the next start.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WritableLog deployment;

        @Mixin
        DeviceIdOption device;

        @Option(names = "--reason", required = true,
                description = "Short operational reason (e.g. 'reported lost'). Never a name or address.")
        String reason;

        @Override
        public Integer call() throws Exception {
            deployment.data().requirePki();
            ServerState state = new ServerState();
            EventCodec codec = deployment.codec();
            try (EventStore log = deployment.open(codec, state)) {
                if (state.devices().find(device.id).isEmpty()) {
                    spec.commandLine().getErr().printf("device %s is not enrolled; nothing revoked%n",
                            DeviceIds.format(device.id));
                    return AwareCommand.CHECK_FAILED;
                }
                append(log, new Event.DeviceRevoked(device.id, reason));
            }
            spec.commandLine().getOut().printf("revoked device %s%n", DeviceIds.format(device.id));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List enrolled devices and their standing (read-only; works while the server runs).")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Deployment deployment;

        @Override
        public Integer call() throws Exception {
            deployment.data().requirePki(); // a mistyped data directory is the likelier mistake: name it first
            ServerState state = readState(deployment.data(), new EventCodec(deployment.keys()));
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
