package nl.aware.simulator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.GatewayConfig;
import nl.aware.gateway.PkiSetup;
import nl.aware.gateway.ServerSetup;
import nl.aware.simulator.device.City;
import nl.aware.simulator.device.DeviceFleet;
import nl.aware.simulator.device.DeviceSettings;
import nl.aware.simulator.device.FleetStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole path on one machine: a fresh deployment (PKI, log) with the server in this process,
 * enrolled devices pressing PANIC, and at the end the server's log read back and checked against
 * every ACK the devices got.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a fresh server in this process, enrol and connect devices (half around Zwolle, half around "
                + "Enschede), press PANIC at random, then check that every ACKed press is in the server's verified event log.")
final class DemoCommand implements Callable<Integer> {
    /** Demo device ids: 0000000000de0001, 0000000000de0002, ... */
    static final long FIRST_DEVICE_ID = 0x0000_0000_00de_0001L;

    @Spec
    CommandSpec spec;

    @Mixin
    LoadOptions load;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "20",
            description = "Number of devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory for the demo server; must be new or empty (default: a new temporary directory).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        if (devices < 1) {
            throw new CommandLine.ParameterException(cmd, "--devices must be at least 1");
        }
        DeviceSettings settings = load.settings(cmd);
        PrintWriter out = cmd.getOut();
        DataDirectory data = new DataDirectory(prepare(cmd));
        out.printf("demo data directory: %s%n", data.root());

        CertificateAuthority ca = PkiSetup.initialize(data, "AWARE demo", List.of("localhost"), List.of("127.0.0.1"));
        AwareServer server = AwareServer.start(ServerSetup.gatewayOnly(data, GatewayConfig.defaults().withPort("127.0.0.1", 0)),
                new SimpleMeterRegistry(), Clock.systemUTC());
        FleetStats stats;
        boolean allAcked;
        try (DeviceFleet fleet = new DeviceFleet("127.0.0.1", server.address().getPort(), ca.certificate(), settings,
                load.ioThreads)) {
            enrol(server, ca, fleet);
            out.printf("enrolled %d devices (%s .. %s)%n", devices, DeviceIds.format(FIRST_DEVICE_ID),
                    DeviceIds.format(FIRST_DEVICE_ID + devices - 1));
            allAcked = new LoadRun(fleet, out).run(load);
            stats = fleet.stats();
        } finally {
            server.close();
        }

        LogSummary log = LogSummary.read(data.log());
        List<FleetStats.AckedPanic> missing = log.missing(stats.ackedPanics());
        out.printf("event log: %d records; accepted: %d presses (PANIC), %d heartbeats, %d locations%n",
                log.verification().records(), log.count(FrameType.PANIC), log.count(FrameType.HEARTBEAT),
                log.count(FrameType.LOCATION));
        out.printf("ACKed presses in the log: %d of %d%n", stats.ackedPanics().size() - missing.size(),
                stats.ackedPanics().size());
        for (FleetStats.AckedPanic panic : missing.subList(0, Math.min(10, missing.size()))) {
            out.printf("  MISSING: device %s counter %d event %s%n", DeviceIds.format(panic.deviceId()),
                    panic.counter(), panic.eventId());
        }
        if (log.intact()) {
            out.printf("log verifies: yes (hash chain intact, last sequence %d)%n", log.verification().lastSequence());
        } else {
            out.printf("log verifies: NO (%s)%n", log.verification().problem() != null
                    ? log.verification().problem().description() : log.undecodable() + " undecodable records");
        }
        boolean ok = missing.isEmpty() && log.intact() && allAcked;
        out.println(ok ? "demo passed" : "demo FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    private Path prepare(CommandLine cmd) throws IOException {
        if (dataDir == null) {
            return Files.createTempDirectory("aware-demo-");
        }
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new CommandLine.ParameterException(cmd, "--data-dir " + dataDir
                            + " is not empty; the demo needs a fresh deployment");
                }
            }
        }
        return Files.createDirectories(dataDir);
    }

    /** Issues and enrols every device (enrolments appended together: one group commit, not one fsync each). */
    private void enrol(AwareServer server, CertificateAuthority ca, DeviceFleet fleet) throws IOException {
        List<CompletableFuture<?>> enrolments = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            long id = FIRST_DEVICE_ID + i;
            IssuedCredential credential = ca.issueDevice(id, PkiSetup.DEVICE_VALIDITY);
            City city = City.forIndex(i);
            enrolments.add(server.enroll(id, city.region(), credential.certificate()));
            fleet.add(id, credential, city);
        }
        CompletableFuture.allOf(enrolments.toArray(CompletableFuture[]::new)).join();
    }
}
