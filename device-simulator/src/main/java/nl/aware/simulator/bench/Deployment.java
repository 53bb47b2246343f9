package nl.aware.simulator.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import nl.aware.core.event.Region;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.PoliceProfile;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.PkiSetup;
import nl.aware.gateway.ServerSetup;
import nl.aware.http.Transports;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fresh deployment, as the demo makes one: PKI, the server with its durable embedded log and real
 * mutual TLS on 127.0.0.1, optionally the simulated control rooms (dispatch), and enrolled, connected
 * benchmark devices. The server runs in this process, or as its own process ({@code aware server},
 * see {@link SeparateServer}) so that its CPU and memory can be told from the load generator's.
 * Everything lives in a temporary directory removed at close.
 */
final class Deployment implements AutoCloseable {
    static final long FIRST_DEVICE_ID = 0x0000_0000_be00_0001L;
    static final CarrierDirectory CARRIERS = deviceId -> Optional.of(new PoliceProfile("Bench Carrier",
            "bench-photo", "fictional: threatened by an ex-partner", "fictional: aggressor", "benchmark profile"));

    final Path root;
    final DataDirectory data;
    final DataKeyRing keys;
    final CertificateAuthority ca;
    final SimulatedPolice police; // null: gateway only
    final AwareServer server; // null: the server runs as its own process
    final SeparateServer separate; // null: the server runs in this process
    final EventLoopGroup clients;
    final List<BenchDevice> devices = new ArrayList<>();
    /** With a separate server: devices enrolled before it started, not yet handed out by {@link #addDevices}. */
    private final Deque<Enrolled> enrolledAhead = new ArrayDeque<>();

    private record Enrolled(long id, Region region, IssuedCredential credential) {
    }

    private Deployment(Path root, DataDirectory data, DataKeyRing keys, CertificateAuthority ca, SimulatedPolice police,
                       AwareServer server, SeparateServer separate, List<Enrolled> enrolledAhead) {
        this.root = root;
        this.data = data;
        this.keys = keys;
        this.ca = ca;
        this.police = police;
        this.server = server;
        this.separate = separate;
        this.enrolledAhead.addAll(enrolledAhead);
        this.clients = Transports.group(Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * As the options say: in this process, or (--server-process) as its own process with dispatch to the
     * simulated control rooms here, {@code devicesAhead} devices enrolled before it starts (the server
     * enrols devices offline only) for {@link #addDevices} to hand out.
     */
    static Deployment start(BenchCommand o, double lifecycleScale, ArrivalListener listener, int devicesAhead)
            throws Exception {
        if (!o.serverProcess) {
            return start(true, lifecycleScale, listener);
        }
        Path root = Files.createTempDirectory("aware-bench-");
        SimulatedPolice police = null;
        try {
            DataDirectory data = new DataDirectory(root.resolve("data"));
            DataKeyRing.create(root.resolve("keys"));
            DataKeyRing keys = DataKeyRing.load(root.resolve("keys"));
            CertificateAuthority ca = PkiSetup.initialize(data, "AWARE bench", List.of("localhost"), List.of("127.0.0.1"));
            List<Enrolled> enrolled = new ArrayList<>();
            List<CompletableFuture<?>> enrolments = new ArrayList<>();
            try (AwareServer enrolling = EnrollingServer.start(data, keys)) {
                for (int i = 0; i < devicesAhead; i++) {
                    long id = FIRST_DEVICE_ID + i;
                    Region region = i % 2 == 0 ? Region.IJSSELLAND : Region.TWENTE;
                    IssuedCredential credential = ca.issueDevice(id, PkiSetup.DEVICE_VALIDITY);
                    enrolments.add(enrolling.enroll(id, region, credential.certificate()));
                    enrolled.add(new Enrolled(id, region, credential));
                }
                CompletableFuture.allOf(enrolments.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            police = SimulatedPolice.start(ca, lifecycleScale, listener);
            SeparateServer separate = SeparateServer.start(root, ca, police, o.serverHeap, "5m", o.serverJvmOptions,
                    o.serverAllocator);
            return new Deployment(root, data, keys, ca, police, null, separate, enrolled);
        } catch (Exception | Error e) {
            if (police != null) {
                police.close();
            }
            deleteQuietly(root);
            throw e;
        }
    }

    /**
     * @param lifecycleScale with dispatch: how fast the control rooms walk an alert to closed (0: no walk)
     * @param dispatch       false: gateway only (alarms recorded, not forwarded)
     */
    static Deployment start(boolean dispatch, double lifecycleScale, ArrivalListener listener) throws Exception {
        Path root = Files.createTempDirectory("aware-bench-");
        DataDirectory data = new DataDirectory(root.resolve("data"));
        DataKeyRing keys = DataKeyRing.create(root.resolve("keys"));
        CertificateAuthority ca = PkiSetup.initialize(data, "AWARE bench", List.of("localhost"), List.of("127.0.0.1"));
        SimulatedPolice police = dispatch ? SimulatedPolice.start(ca, lifecycleScale, listener) : null;
        GatewayConfig gateway = GatewayConfig.defaults().withPort("127.0.0.1", 0);
        ServerSetup setup = dispatch
                ? new ServerSetup(data, keys, gateway, police.dispatchConfig(Duration.ofSeconds(60)), CARRIERS)
                : ServerSetup.gatewayOnly(data, keys, gateway);
        AwareServer server = AwareServer.start(setup, new SimpleMeterRegistry(), Clock.systemUTC());
        return new Deployment(root, data, keys, ca, police, server, null, List.of());
    }

    int port() {
        return server != null ? server.address().getPort() : separate.port();
    }

    /** Dispatch work the server still owes; -1 when unknown (a separate server does not tell). */
    int owedDispatchWork() {
        return server != null ? server.owedDispatchWork() : -1;
    }

    /** CPU seconds of the separate server process; NaN in process (the JVM's CPU is the harness's too). */
    double serverCpuSeconds() {
        return separate != null ? separate.cpuSeconds() : Double.NaN;
    }

    /** RSS of the separate server process in MiB; NaN in process. */
    double serverRssMib() {
        return separate != null ? separate.rssMib() : Double.NaN;
    }

    /** Issues, enrols (one group commit for all) and connects {@code count} devices, alternating regions. */
    List<BenchDevice> addDevices(int count, BenchDevice.Listener listener) throws Exception {
        List<BenchDevice> added = new ArrayList<>();
        List<CompletableFuture<?>> enrolments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (separate != null) {
                Enrolled e = enrolledAhead.poll();
                if (e == null) {
                    throw new IllegalStateException("fewer devices were enrolled ahead than the scenario adds");
                }
                added.add(new BenchDevice(e.id(), e.region(), e.credential(), ca.certificate(), listener));
                continue;
            }
            long id = FIRST_DEVICE_ID + devices.size() + i;
            Region region = i % 2 == 0 ? Region.IJSSELLAND : Region.TWENTE;
            IssuedCredential credential = ca.issueDevice(id, PkiSetup.DEVICE_VALIDITY);
            enrolments.add(server.enroll(id, region, credential.certificate()));
            added.add(new BenchDevice(id, region, credential, ca.certificate(), listener));
        }
        CompletableFuture.allOf(enrolments.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Semaphore handshakes = new Semaphore(64); // do not drown the server in handshakes at once
        List<CompletableFuture<Void>> connected = new ArrayList<>();
        for (BenchDevice device : added) {
            handshakes.acquire();
            CompletableFuture<Void> ready = device.connect(clients, "127.0.0.1", port());
            ready.whenComplete((v, e) -> handshakes.release());
            connected.add(ready);
        }
        CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        devices.addAll(added);
        return added;
    }

    private boolean serverClosed;

    /** Disconnects the devices and stops the server (its log closed, readable); idempotent. */
    synchronized void stopServer() {
        if (serverClosed) {
            return;
        }
        serverClosed = true;
        devices.forEach(BenchDevice::close);
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (server != null) {
            server.close();
        } else {
            separate.close();
        }
    }

    @Override
    public void close() {
        stopServer();
        if (police != null) {
            police.close();
        }
        deleteQuietly(root);
    }

    static void deleteQuietly(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a benchmark for
        }
    }
}
