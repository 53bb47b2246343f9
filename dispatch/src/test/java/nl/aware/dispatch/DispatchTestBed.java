package nl.aware.dispatch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.DeviceNoticeKind;
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
import nl.aware.core.protocol.Location;
import nl.aware.core.state.ServerState;
import nl.aware.dispatch.police.Courier;
import nl.aware.dispatch.work.DispatchProjection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A real event log, state and intake in a temporary directory, with devices that sign real frames. */
final class DispatchTestBed implements AutoCloseable {
    static final Location ZWOLLE = new Location(525_168_000, 60_830_000, 10, 2, Location.SOURCE_GNSS, 80);

    private static final CertificateAuthority CA = CertificateAuthority.create("Dispatch test CA", Duration.ofDays(2));

    final Path directory;
    final EventCodec codec;
    final ServerState state = new ServerState();
    final DispatchProjection projection;
    final EventLog log;
    final Intake intake;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** The region's event loop, as the dispatcher's HTTP group gives one in the server. */
    final io.netty.channel.EventLoop regionLoop = new io.netty.channel.DefaultEventLoop(
            new io.netty.util.concurrent.DefaultThreadFactory("test-region-loop", true));
    private final Map<Long, FrameSigner> signers = new HashMap<>();
    private final Map<Long, Long> counters = new HashMap<>();

    /** The log in {@code directory/log}, its data keys in {@code directory/keys} (made on first use). */
    DispatchTestBed(Path directory) throws IOException {
        this.directory = directory.resolve("log");
        DataKeyRing keys = Files.isDirectory(directory.resolve("keys")) ? DataKeyRing.load(directory.resolve("keys"))
                : DataKeyRing.create(directory.resolve("keys"));
        this.codec = new EventCodec(keys);
        this.projection = new DispatchProjection(state.devices(), state.openAlarms());
        state.register(projection);
        this.log = EventLog.open(EventLogOptions.defaults(this.directory), new SimpleMeterRegistry(), record -> {
            try {
                state.apply(record, codec.decode(record));
            } catch (EventFormatException e) {
                throw new AssertionError(e);
            }
        });
        this.intake = new Intake(log, codec, state, Clock.systemUTC());
    }

    /** A started region dispatcher. */
    RegionDispatcher dispatcher(Courier police, Courier kadera, DispatchLimits limits) {
        RegionDispatcher dispatcher = unstartedDispatcher(police, kadera, limits);
        dispatcher.start();
        return dispatcher;
    }

    RegionDispatcher unstartedDispatcher(Courier police, Courier kadera, DispatchLimits limits) {
        return new RegionDispatcher(Region.IJSSELLAND, police, kadera, intake, projection, scheduler,
                new DispatchMetrics(new SimpleMeterRegistry()), limits, Clock.systemUTC(), DeliveryObserver.NONE,
                PoliceAnswers.NONE, regionLoop);
    }

    void enroll(long deviceId) throws Exception {
        IssuedCredential credential = CA.issueDevice(deviceId, Duration.ofDays(1));
        intake.record(new Event.DeviceEnrolled(deviceId, Region.IJSSELLAND, credential.certificate().getEncoded())).join();
        signers.put(deviceId, new FrameSigner(credential.privateKey()));
    }

    /** Sends a frame through the real intake; returns its event id once durable. */
    UUID send(long deviceId, FrameType type) {
        byte[] payload = switch (type) {
            case PANIC, LOCATION, TEST -> location();
            case STATUS -> new byte[] {1, 15};
            case HEARTBEAT -> new byte[] {80, 0};
            default -> new byte[0];
        };
        long counter = counters.merge(deviceId, 1L, Long::sum);
        DeviceFrame frame = DeviceFrame.create(type, deviceId, counter, System.currentTimeMillis(), payload,
                signers.get(deviceId));
        IntakeOutcome outcome = intake.submit(frame).join();
        return ((IntakeOutcome.Accepted) outcome).eventId();
    }

    /** Sends one signed AUDIO frame (a 20 ms Opus packet) of {@code streamId} through the real intake. */
    IntakeOutcome sendAudio(long deviceId, long streamId, long seq) {
        byte[] payload = nl.aware.core.protocol.AudioChunk.opus(streamId, seq, false, 20,
                List.of(new byte[] {(byte) (9 << 3), 1, 2})).payload();
        long counter = counters.merge(deviceId, 1L, Long::sum);
        DeviceFrame frame = DeviceFrame.create(FrameType.AUDIO, deviceId, counter, System.currentTimeMillis(), payload,
                signers.get(deviceId));
        return intake.submit(frame).join();
    }

    /** Records a device notice as supervision would; returns the id of the work it makes. */
    UUID notice(long deviceId, DeviceNoticeKind kind) {
        long sequence = intake.record(new Event.DeviceNotice(deviceId, kind, 20)).join().sequence();
        return DispatchProjection.noticeId(sequence);
    }

    List<Event> events() throws IOException {
        List<Event> events = new ArrayList<>();
        EventLog.read(directory, record -> {
            try {
                events.add(codec.decode(record));
            } catch (EventFormatException e) {
                throw new AssertionError(e);
            }
        });
        return events;
    }

    private static byte[] location() {
        var buffer = Unpooled.buffer(Location.BYTES);
        ZWOLLE.write(buffer);
        return ByteBufUtil.getBytes(buffer);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        regionLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        log.close();
    }
}
