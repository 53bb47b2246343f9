package nl.aware.gateway.cli;

import nl.aware.core.state.CarrierRegistry;
import nl.aware.core.admin.Administration;
import nl.aware.core.admin.AdministrationException;
import nl.aware.core.event.Event;
import nl.aware.core.event.DecodedLog;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.LogLockedException;
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
 * Enrolment and revocation are events in the log. While a server holds the log (its lock tells), these
 * commands go through its staff API, signed in like any staff member ({@link RunningServer}); with no
 * server running they append the events themselves (offline mode). Listing reads the log without the lock.
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

    /**
     * The administrative acts with their rules, appending straight to a log this command holds (offline mode:
     * no server runs). No CA: offline enrolment keeps its own key-making path.
     */
    static Administration offline(EventStore log, ServerState state) {
        return new Administration(log::append, state, null, PkiSetup.DEVICE_VALIDITY);
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
            description = "Hand a device to a carrier: through the running server when one holds the log (from the "
                    + "device's --csr, or a one-time PKCS#12), else offline (key and certificate made and written here).")
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
                description = "Offline only: password for the PKCS#12 file (prompted when given without a value; no .p12 "
                        + "without it). Through a running server the server makes the password and it is printed once.")
        char[] p12Password;

        @Option(names = "--csr", paramLabel = "FILE", description = "Through a running server: the device's PKCS#10 "
                + "request (PEM; the key stays on the device); <id>.pem and ca.pem are written. Without it the server "
                + "makes a one-time <id>.p12 and prints its password once.")
        Path csr;

        @Mixin
        RunningServer running;

        @Override
        public Integer call() throws Exception {
            if (p12Password != null && p12Password.length == 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--p12-password was given but empty: a PKCS#12 file needs a password");
            }
            DataDirectory dir = deployment.data();
            dir.requirePki();
            String name = DeviceIds.format(device.id);
            // The lock first: nothing is written for a device when its enrolment cannot be recorded.
            EventCodec codec = deployment.codec();
            ServerState state = new ServerState();
            Region region;
            EventStore opened;
            try {
                opened = deployment.open(codec, state);
            } catch (LogLockedException held) {
                return online(dir, name);
            }
            if (csr != null) {
                opened.close();
                throw new CommandLine.ParameterException(spec.commandLine(), "--csr needs a running server (it checks and "
                        + "records the request); offline the key pair is made here");
            }
            CertificateAuthority ca;
            try {
                ca = CertificateAuthority.load(dir.caCertificate(), dir.caKey());
            } catch (RuntimeException | nl.aware.core.pki.PkiException e) {
                opened.close();
                throw e;
            }
            try (EventStore log = opened) {
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

        /** A new file readable by its owner only (a key store holds a private key); never over an existing one. */
        private static void writeNew(Path file, byte[] content) throws IOException {
            try (var channel = nl.aware.core.files.OwnerOnly.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content));
            }
        }

        /** Through the running server: a hand-out from the device's CSR, or a one-time PKCS#12. */
        private int online(DataDirectory dir, String name) throws Exception {
            if (p12Password != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a server holds the log: it makes the "
                        + "PKCS#12 password itself and prints it once; leave out --p12-password");
            }
            com.fasterxml.jackson.databind.node.ObjectNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode().put("deviceId", name);
            if (csr != null) {
                body.put("csr", Files.readString(csr));
            } else {
                body.put("pkcs12", true);
            }
            Files.createDirectories(out);
            Path target = out.resolve(name + (csr != null ? ".pem" : ".p12"));
            if (Files.exists(target)) {
                throw new java.nio.file.FileAlreadyExistsException(target.toString());
            }
            var answer = running.call(spec, dir, (client, token) ->
                    client.post("/staff/v1/carriers/" + carrierId + "/devices", token, body));
            if (answer == null) {
                return AwareCommand.CHECK_FAILED;
            }
            if (csr != null) {
                writeNew(target, answer.path("certificate").asText().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (!Files.exists(out.resolve("ca.pem"))) {
                    Files.writeString(out.resolve("ca.pem"), answer.path("caCertificate").asText());
                }
                spec.commandLine().getOut().printf("enrolled device %s through the server; its certificate is in %s%n",
                        name, target);
            } else {
                writeNew(target, java.util.Base64.getDecoder().decode(answer.path("pkcs12").asText()));
                spec.commandLine().getOut().printf("enrolled device %s through the server; its one-time key store is %s"
                        + "%nPKCS#12 password (shown once, kept nowhere): %s%n", name, target,
                        answer.path("password").asText());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a device: through the running server when one holds the log (its open connection is "
                    + "closed at once), else recorded offline. Exit 1 when refused or not enrolled.")
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

        @Mixin
        RunningServer running;

        @Override
        public Integer call() throws Exception {
            deployment.data().requirePki();
            ServerState state = new ServerState();
            EventCodec codec = deployment.codec();
            EventStore opened;
            try {
                opened = deployment.open(codec, state);
            } catch (LogLockedException held) {
                // The running server revokes it at once and closes its open connection.
                var answer = running.call(spec, deployment.data(), (client, token) -> client.post("/staff/v1/devices/"
                        + DeviceIds.format(device.id) + "/revoke", token, new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("reason", reason)));
                if (answer == null) {
                    return AwareCommand.CHECK_FAILED;
                }
                spec.commandLine().getOut().printf("revoked device %s through the running server; its open connection "
                        + "is closed%n", DeviceIds.format(device.id));
                return 0;
            }
            try (EventStore log = opened; Administration offline = offline(log, state)) {
                offline.revoke(device.id, reason).join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof AdministrationException refused) {
                    spec.commandLine().getErr().printf("%s: %s; nothing revoked%n", spec.qualifiedName(),
                            refused.getMessage());
                    return AwareCommand.CHECK_FAILED;
                }
                throw e;
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
