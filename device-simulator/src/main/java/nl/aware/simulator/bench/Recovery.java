package nl.aware.simulator.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.RecoveryReport;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameFormatException;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.PkiSetup;
import nl.aware.gateway.ServerSetup;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Start-up with a big log: {@code events} records written through {@link EventLog#append} (many appends
 * in flight, so the writer group-commits thousands per fsync), then the server is started on that data
 * directory with dispatch to the simulated control rooms, timing {@link AwareServer#start} until the
 * gateway listens. The log: enrolments, then per device one whole alert (PANIC, police accepted,
 * closed), then heartbeats (85 %) and locations (15 %) spread over the devices.
 *
 * <p>Only the enrolments and the PANICs carry real signatures: the other frames are copies of one
 * signed frame per device with counter and time rewritten (signing a million frames would take minutes).
 * Replay does not check frame signatures (the gateway checked them before the append), so this does not
 * change what start-up does.
 */
final class Recovery {
    static final double TARGET_MS = 3000;

    private Recovery() {
    }

    static Result run(BenchCommand o, PrintWriter out) throws Exception {
        Result result = new Result("recovery");
        result.parameters.put("events", o.events);
        result.parameters.put("devices", o.recoveryDevices);
        result.parameters.put("starts", o.starts);
        result.parameters.put("server", "with dispatch to the simulated control rooms");
        result.target = "start to ready (gateway listening) <= 3 s with 1,000,000 events";
        Path root = Files.createTempDirectory("aware-bench-recovery-");
        try {
            DataDirectory data = new DataDirectory(root.resolve("data"));
            DataKeyRing keys = DataKeyRing.create(root.resolve("keys"));
            CertificateAuthority ca = PkiSetup.initialize(data, "AWARE bench", List.of("localhost"), List.of("127.0.0.1"));
            long writing = System.nanoTime();
            long written = write(data, new EventCodec(keys), ca, o.events, o.recoveryDevices);
            double writeSeconds = (System.nanoTime() - writing) / 1e9;
            long bytes;
            try (var files = Files.list(data.log())) {
                bytes = files.mapToLong(p -> p.toFile().length()).sum();
            }
            out.printf(Locale.ROOT, "recovery: wrote %d events (%.0f MiB) through EventLog.append in %.1f s (%.0f/s)%n",
                    written, bytes / 1048576.0, writeSeconds, written / writeSeconds);
            out.flush();
            result.figures.put("log_bytes", bytes);
            result.figures.put("append_rate_per_s", Math.round(written / writeSeconds));

            Latency startup = new Latency("start->ready");
            List<Long> startsMs = new ArrayList<>();
            List<Long> replayMs = new ArrayList<>();
            try (SimulatedPolice police = SimulatedPolice.start(ca, 0, ArrivalListener.NONE)) {
                for (int i = 1; i <= o.starts; i++) {
                    long t0 = System.nanoTime();
                    AwareServer server = AwareServer.start(new ServerSetup(data, keys, GatewayConfig.defaults()
                                    .withPort("127.0.0.1", 0), police.dispatchConfig(Duration.ofSeconds(60)), Deployment.CARRIERS),
                            new SimpleMeterRegistry(), Clock.systemUTC());
                    long elapsed = System.nanoTime() - t0;
                    RecoveryReport report = server.eventLog().recovery();
                    startup.record(elapsed);
                    startsMs.add(elapsed / 1_000_000);
                    replayMs.add(report.elapsed().toMillis());
                    out.printf(Locale.ROOT, "  start %d: ready (gateway listening on %s) after %d ms; replay of %d records "
                                    + "%d ms; %d devices, %d open alarms, dispatch owes %d%n", i, server.address(),
                            elapsed / 1_000_000, report.records(), report.elapsed().toMillis(), server.state().devices().size(),
                            server.state().openAlarms().size(), server.owedDispatchWork());
                    out.flush();
                    server.close();
                }
            }
            long worst = startsMs.stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
            result.latency(startup);
            result.figures.put("start_to_ready_ms", startsMs);
            result.figures.put("replay_ms", replayMs);
            result.figures.put("worst_start_ms", worst);
            result.met = worst <= TARGET_MS;
            result.notes.add("starts run in the benchmark JVM after the log was written (classes loaded, JIT partly warm); "
                    + "the first start is the coldest");
            result.summary = String.format(Locale.ROOT, "%d events (%.0f MiB): start->ready %s ms (replay %s ms), worst %d ms",
                    written, bytes / 1048576.0, startsMs, replayMs, worst);
            out.println(startup.line());
        } finally {
            Deployment.deleteQuietly(root);
        }
        return result;
    }

    /** Writes the log; returns the number of records. */
    private static long write(DataDirectory data, EventCodec codec, CertificateAuthority ca, long events, int deviceCount)
            throws Exception {
        long first = Deployment.FIRST_DEVICE_ID;
        Semaphore inFlight = new Semaphore(32_768); // below the log's 65,536 pending appends: never overloaded
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long count = 0;
        try (EventLog log = EventLog.open(EventLogOptions.defaults(data.log()), new SimpleMeterRegistry(), r -> { })) {
            byte[][] heartbeat = new byte[deviceCount][];
            byte[][] location = new byte[deviceCount][];
            long[] counters = new long[deviceCount];
            List<Event> alerts = new ArrayList<>();
            for (int i = 0; i < deviceCount; i++) {
                long id = first + i;
                IssuedCredential credential = ca.issueDevice(id, PkiSetup.DEVICE_VALIDITY);
                append(log, codec, new Event.DeviceEnrolled(id, i % 2 == 0 ? Region.IJSSELLAND : Region.TWENTE,
                        credential.certificate().getEncoded()), inFlight, failure);
                count++;
                FrameSigner signer = new FrameSigner(credential.privateKey());
                counters[i] = System.currentTimeMillis() * 1000 - 10_000_000L;
                long now = System.currentTimeMillis();
                DeviceFrame panic = DeviceFrame.create(FrameType.PANIC, id, counters[i]++, now, Frames.payload(FrameType.PANIC), signer);
                UUID alertId = UUID.randomUUID();
                alerts.add(new Event.FrameAccepted(alertId, now, panic));
                alerts.add(new Event.Delivered(alertId, (i % 2 == 0 ? "ijsselland" : "twente") + "/primary", 1, "BENCH-" + i));
                alerts.add(new Event.AlertStatusReported(alertId, AlertStatus.CLOSED, "BENCH-" + i, "control-room"));
                heartbeat[i] = body(DeviceFrame.create(FrameType.HEARTBEAT, id, counters[i]++, now, Frames.payload(FrameType.HEARTBEAT), signer));
                location[i] = body(DeviceFrame.create(FrameType.LOCATION, id, counters[i]++, now, Frames.payload(FrameType.LOCATION), signer));
            }
            for (Event e : alerts) {
                append(log, codec, e, inFlight, failure);
                count++;
            }
            SplittableRandom random = new SplittableRandom(7);
            while (count < events) {
                int i = (int) (count % deviceCount);
                byte[] template = random.nextInt(100) < 85 ? heartbeat[i] : location[i];
                byte[] copy = Arrays.copyOf(template, template.length);
                putLong(copy, 10, counters[i]++);             // counter (body offset: version 1, type 1, deviceId 8)
                putLong(copy, 18, System.currentTimeMillis()); // device time
                append(log, codec, new Event.FrameAccepted(UUID.randomUUID(), System.currentTimeMillis(), parse(copy)),
                        inFlight, failure);
                count++;
            }
            inFlight.acquire(32_768);
            inFlight.release(32_768);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("writing the log failed", failure.get());
        }
        return count;
    }

    private static void append(EventLog log, EventCodec codec, Event event, Semaphore inFlight,
                               AtomicReference<Throwable> failure)
            throws InterruptedException {
        if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("event log stalled");
        }
        log.append(EventCodec.typeOf(event), codec.encode(event)).whenComplete((r, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
            inFlight.release();
        });
    }

    private static byte[] body(DeviceFrame frame) {
        byte[] wire = frame.wireBytes();
        return Arrays.copyOfRange(wire, 2, wire.length);
    }

    private static DeviceFrame parse(byte[] body) {
        try {
            return DeviceFrame.parse(body);
        } catch (FrameFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            b[offset + i] = (byte) v;
            v >>>= 8;
        }
    }
}
