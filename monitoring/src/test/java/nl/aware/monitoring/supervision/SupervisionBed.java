package nl.aware.monitoring.supervision;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.event.Region;
import nl.aware.core.intake.Intake;
import nl.aware.core.intake.IntakeOutcome;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.ServerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One server lifetime over a real event log in a directory: state, intake, and a supervisor registered
 * before the log opens (so it sees the replay). The supervisor's recorder is the real
 * {@code Intake::record} (durable append, then applied back to every projection), and it also notes
 * each notice with the nanoTime it was asked for. Open another bed on the same directory to restart.
 */
final class SupervisionBed implements AutoCloseable {
    static final SupervisionSettings FAST = new SupervisionSettings(Duration.ofMillis(150), 2, Duration.ofMillis(25));
    static final long ALLOWANCE_NANOS = FAST.allowance().toNanos();

    /** A notice the supervisor asked to record, and when. */
    record Recorded(Event.DeviceNotice notice, long nanos) {
    }

    /** The devices' side, surviving server restarts: keys and counters. */
    static final class Devices {
        private static final CertificateAuthority CA = CertificateAuthority.create("Supervision test CA",
                Duration.ofDays(2));
        private final Map<Long, FrameSigner> signers = new ConcurrentHashMap<>();
        private final Map<Long, IssuedCredential> credentials = new ConcurrentHashMap<>();
        private final Map<Long, Long> counters = new ConcurrentHashMap<>();

        IssuedCredential credential(long deviceId) {
            return credentials.computeIfAbsent(deviceId, id -> {
                IssuedCredential credential = CA.issueDevice(id, Duration.ofDays(1));
                signers.put(id, new FrameSigner(credential.privateKey()));
                return credential;
            });
        }

        /** Signs the device's next frame (one signer per device; callers send one device from one thread). */
        synchronized DeviceFrame next(long deviceId, FrameType type, byte[] payload) {
            long counter = counters.merge(deviceId, 1L, Long::sum);
            return DeviceFrame.create(type, deviceId, counter, System.currentTimeMillis(), payload,
                    signers.get(deviceId));
        }
    }

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ServerState state = new ServerState();
    final DeviceSupervisor supervisor;
    final EventLog log;
    final Intake intake;
    final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final Devices devices;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    long startNanos;

    SupervisionBed(Path directory, Devices devices) throws IOException {
        this.devices = devices;
        this.supervisor = new DeviceSupervisor(FAST, registry);
        state.register(supervisor);
        Path keyDir = directory.resolve("keys"); // the data keys live apart from the log
        EventCodec codec = new EventCodec(Files.isDirectory(keyDir) ? DataKeyRing.load(keyDir) : DataKeyRing.create(keyDir));
        this.log = EventLog.open(EventLogOptions.defaults(directory.resolve("log")), new SimpleMeterRegistry(), record -> {
            try {
                state.apply(record, codec.decode(record));
            } catch (EventFormatException e) {
                throw new AssertionError(e);
            }
        });
        this.intake = new Intake(log, codec, state, Clock.systemUTC());
    }

    void start() {
        startNanos = System.nanoTime();
        supervisor.start(event -> {
            recorded.add(new Recorded((Event.DeviceNotice) event, System.nanoTime()));
            return intake.record(event);
        });
    }

    void enroll(long deviceId) throws Exception {
        byte[] der = devices.credential(deviceId).certificate().getEncoded();
        intake.record(new Event.DeviceEnrolled(deviceId, Region.IJSSELLAND, der)).join();
    }

    void revoke(long deviceId) {
        intake.record(new Event.DeviceRevoked(deviceId, "lost")).join();
    }

    void heartbeat(long deviceId) {
        send(deviceId, FrameType.HEARTBEAT, new byte[] {80, 0});
    }

    void status(long deviceId, int code, int battery) {
        send(deviceId, FrameType.STATUS, new byte[] {(byte) code, (byte) battery});
    }

    /** Heartbeats the device every half interval from now on (until the bed closes). */
    void keepAlive(long deviceId) {
        long every = FAST.heartbeatInterval().toMillis() / 2;
        heartbeats.scheduleAtFixedRate(() -> heartbeat(deviceId), 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Signs and submits under one lock, as a device sends on one connection: the keep-alive thread
     * and the test thread must not hand the intake counter n+1 before n (n would be a replay).
     * The intake classifies the counter when the frame is submitted, so the wait for the durable
     * answer stays outside the lock.
     */
    private void send(long deviceId, FrameType type, byte[] payload) {
        CompletableFuture<IntakeOutcome> answer;
        synchronized (devices) {
            answer = intake.submit(devices.next(deviceId, type, payload));
        }
        IntakeOutcome outcome = answer.join();
        if (!(outcome instanceof IntakeOutcome.Accepted)) {
            throw new AssertionError("frame refused: " + outcome);
        }
    }

    List<Recorded> notices(long deviceId, DeviceNoticeKind kind) {
        return recorded.stream()
                .filter(r -> r.notice().deviceId() == deviceId && r.notice().kind() == kind)
                .toList();
    }

    double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    double noticeCount(DeviceNoticeKind kind) {
        return registry.get(DeviceSupervisor.NOTICES).tag("kind", kind.label()).counter().count();
    }

    /** Stops heartbeats and supervision, then closes the log: the server stops. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        try {
            heartbeats.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        supervisor.close();
        log.close();
    }
}
