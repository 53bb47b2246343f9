package nl.aware.simulator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.PkiSetup;
import nl.aware.gateway.ServerSetup;
import nl.aware.gateway.cli.DurationConverter;
import nl.aware.web.staff.StaffApiSettings;
import nl.aware.simulator.controlroom.ControlRoomView;
import nl.aware.simulator.controlroom.SimulatedPolice;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The whole story on one machine: a fresh deployment (PKI, log) with the server in this process,
 * simulated control rooms that receive, acknowledge and close alerts, enrolled devices pressing PANIC;
 * at the end the server's log is read back and checked against every ACK the devices got, and the
 * police's records against every acknowledged press.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a fresh server in this process with simulated police control rooms (IJsselland, Twente) and "
                + "Kadera, enrol and connect devices (half around Zwolle, half around Enschede), press PANIC at random; "
                + "the control rooms receive the alerts with their locations, acknowledge, follow the tracking and close "
                + "them. At the end, check that every ACKed press is in the verified event log and reached the police once.")
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

    @Option(names = "--lifecycle-scale", paramLabel = "F", defaultValue = "0.2",
            description = "How fast the simulated control rooms walk an alert to closed: 1.0 is about 25 s, "
                    + "0.2 about 5 s (default: ${DEFAULT-VALUE}).")
    double lifecycleScale;

    @Option(names = "--escalate-after", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "Escalate to Kadera when the police have not accepted an alert by then (default: ${DEFAULT-VALUE}).")
    Duration escalateAfter;

    @Option(names = "--key-dir", paramLabel = "DIR",
            description = "Directory for the demo's data keys, apart from the data; must be new or empty "
                    + "(default: a new temporary directory).")
    Path keyDir;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory for the demo server; must be new or empty (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--stay",
            description = "After the checks, keep the server running with the staff console on https://127.0.0.1:PORT/console/ "
                    + "and the control-room console on https://127.0.0.1:PORT/control/, and print a demo sign-in for each "
                    + "(a case worker account, an operator of both regions); stop with Ctrl-C.")
    boolean stay;

    @Option(names = "--console-port", paramLabel = "PORT", defaultValue = "9443",
            description = "With --stay: the staff API's and console's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int consolePort;

    /** Ends a {@code --stay} demo (Ctrl-C, or a test). */
    final CountDownLatch stop = new CountDownLatch(1);
    /** With --stay: the device that stays connected so a newcomer can listen in (a carrier who agreed). */
    private Listenable listenable;

    private record Listenable(long deviceId, IssuedCredential credential, City city) {
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        if (devices < 1) {
            throw new CommandLine.ParameterException(cmd, "--devices must be at least 1");
        }
        if (consolePort < 0 || consolePort > 65535) {
            throw new CommandLine.ParameterException(cmd, "--console-port must be 0..65535, was " + consolePort);
        }
        DeviceSettings settings = load.settings(cmd);
        PrintWriter out = cmd.getOut();
        DataDirectory data = new DataDirectory(prepare(cmd, dataDir, "--data-dir", "aware-demo-"));
        DataKeyRing keys = DataKeyRing.create(prepare(cmd, keyDir, "--key-dir", "aware-demo-keys-"));
        out.printf("demo data directory: %s (data keys apart, in %s)%n", data.root(), keys.directory());

        CertificateAuthority ca = PkiSetup.initialize(data, "AWARE demo", List.of("localhost"), List.of("127.0.0.1"));
        DemoStaff.Passwords passwords = stay ? DemoStaff.create(data, keys, Clock.systemUTC()) : null;
        FleetStats stats;
        boolean allAcked;
        AwareServer server;
        PoliceSummary police;
        try (SimulatedPolice world = SimulatedPolice.start(ca, lifecycleScale, new ControlRoomView(System.out))) {
            out.printf("simulated control rooms: ijsselland %s, twente %s; Kadera %s%n",
                    world.room(Region.IJSSELLAND).baseUrl(), world.room(Region.TWENTE).baseUrl(), world.kadera().baseUrl());
            ServerSetup setup = new ServerSetup(data, keys, GatewayConfig.defaults().withPort("127.0.0.1", 0),
                    world.dispatchConfig(escalateAfter), null);
            if (stay) {
                setup = setup.withStaffApi(StaffApiSettings.loopback(consolePort));
            }
            server = AwareServer.start(setup, new SimpleMeterRegistry(), Clock.systemUTC());
            try (DeviceFleet fleet = new DeviceFleet("127.0.0.1", server.address().getPort(), ca.certificate(), settings,
                    load.ioThreads)) {
                enrol(server, ca, fleet);
                out.printf("enrolled %d devices (%s .. %s)%n", devices, DeviceIds.format(FIRST_DEVICE_ID),
                        DeviceIds.format(FIRST_DEVICE_ID + devices - 1));
                allAcked = new LoadRun(fleet, out).run(load);
                stats = fleet.stats();
                awaitDispatched(server, out);
            } finally {
                if (!stay) {
                    server.close();
                }
            }
            police = PoliceSummary.of(world, stats.ackedPanics());
        }
        police.print(out);

        LogSummary log = LogSummary.read(data.log(), keys);
        List<FleetStats.AckedPanic> missing = log.missing(stats.ackedPanics());
        out.printf("event log: %d records; accepted: %d presses (PANIC), %d heartbeats, %d locations, %d audio frames "
                        + "(recorded after presses of the %d carriers who agreed to it)%n",
                log.verification().records(), log.count(FrameType.PANIC), log.count(FrameType.HEARTBEAT),
                log.count(FrameType.LOCATION), log.count(FrameType.AUDIO), (devices + 1) / 2);
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
        boolean ok = missing.isEmpty() && log.intact() && allAcked && police.complete();
        out.println(ok ? "demo passed" : "demo FAILED");
        out.flush();
        if (stay) {
            stayUntilStopped(server, data, passwords, ca, settings, out);
        }
        return ok ? 0 : 1;
    }

    /**
     * Keeps the server (and its staff console) running until Ctrl-C or {@link #stop}. The fleet and the simulated
     * control rooms have stopped; the alerts they made stay in the log for the consoles. One device of a carrier
     * who agreed to recording stays connected and presses once more: with no control room left to close it, its
     * alert stays open in the control-room console, where a newcomer can listen in ("Luisteren"): the device
     * answers the LISTEN with speech.
     */
    private void stayUntilStopped(AwareServer server, DataDirectory data, DemoStaff.Passwords passwords,
                                  CertificateAuthority ca, DeviceSettings settings, PrintWriter out)
            throws InterruptedException, IOException {
        Thread hook = new Thread(stop::countDown, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (DeviceFleet standing = new DeviceFleet("127.0.0.1", server.address().getPort(), ca.certificate(),
                settings, 1)) {
            if (listenable != null) {
                standing.add(listenable.deviceId(), listenable.credential(), listenable.city()).recordsAfterPress(true);
                standing.start();
                standing.devices().get(0).press();
                out.printf("device %s (%s) stays connected and pressed once more: its alert stays open in the "
                                + "control-room console; open it and press \"Luisteren\" to hear the device%n",
                        DeviceIds.format(listenable.deviceId()), listenable.city().region().label());
            }
            int port = server.staffApiAddress().getPort();
            out.printf("staff console: https://127.0.0.1:%d/console/ (server certificate from the demo's own CA, %s: "
                    + "trust it in the browser, or accept the warning for this demo)%n", port, data.caCertificate());
            out.printf("demo sign-in: account %s, password %s%n", DemoStaff.USERNAME, passwords.staff());
            out.printf("control-room console: https://127.0.0.1:%d/control/ (the live alarm queue of IJsselland and Twente)%n",
                    port);
            out.printf("demo operator sign-in: account %s, password %s%n", DemoStaff.OPERATOR, passwords.operator());
            out.printf("second factor: at the first sign-in each console shows a key for an authenticator app; "
                    + "without one, `java -jar device-simulator/target/aware-simulator.jar totp KEY` prints the current code%n");
            out.println("the server keeps running; stop it with Ctrl-C");
            out.flush();
            stop.await();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already running the hook that brought us here.
            }
        }
    }

    /** Lets dispatch deliver what the last presses made before the server stops (at most 20 s). */
    private static void awaitDispatched(AwareServer server, PrintWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.owedDispatchWork() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (server.owedDispatchWork() > 0) {
            out.printf("dispatch still owes %d items at the end (they stay owed in the log)%n", server.owedDispatchWork());
        }
    }

    /** The demo's carriers 1, 3, 5, ... agreed at intake that their device records after a press. */
    static boolean recordsAfterPress(int index) {
        return index % 2 == 0;
    }

    private static Path prepare(CommandLine cmd, Path chosen, String option, String tempPrefix) throws IOException {
        if (chosen == null) {
            return Files.createTempDirectory(tempPrefix);
        }
        if (Files.isDirectory(chosen)) {
            try (Stream<Path> entries = Files.list(chosen)) {
                if (entries.findAny().isPresent()) {
                    throw new CommandLine.ParameterException(cmd, option + " " + chosen
                            + " is not empty; the demo needs a fresh deployment");
                }
            }
        }
        return Files.createDirectories(chosen);
    }

    /**
     * Registers a fictional carrier per device in Kadera's registry (the profiles are sealed in the log
     * like real ones), issues and enrols the device and hands it to the carrier. Appended together: one
     * group commit, not one fsync each. Every other carrier agreed to recording after a press (issue 14), so
     * their devices stream 30 s of speech after each press and a newcomer can listen; the others show that
     * without consent nothing is recorded.
     */
    private void enrol(AwareServer server, CertificateAuthority ca, DeviceFleet fleet) throws IOException {
        List<CompletableFuture<?>> enrolments = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            long id = FIRST_DEVICE_ID + i;
            IssuedCredential credential = ca.issueDevice(id, PkiSetup.DEVICE_VALIDITY);
            City city = City.forIndex(i);
            boolean records = recordsAfterPress(i);
            CarrierProfile profile = new CarrierProfile("Demo Carrier " + (i + 1), "", "demo-photo-" + (i + 1),
                    "fictional: threatened by an ex-partner", "fictional: aggressor description", "demo profile",
                    new CarrierProfile.Eligibility(true, true, true, true, true), records);
            enrolments.add(server.registerCarrier(city.region(), profile)
                    .thenCompose(carrier -> server.enroll(id, city.region(), credential.certificate())
                            .thenCompose(enrolled -> server.assign(id, carrier))));
            fleet.add(id, credential, city).recordsAfterPress(records);
            if (records && listenable == null) {
                listenable = new Listenable(id, credential, city);
            }
        }
        CompletableFuture.allOf(enrolments.toArray(CompletableFuture[]::new)).join();
    }
}
