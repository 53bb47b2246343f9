package nl.aware.monitoring.supervision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.event.Event;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.state.Projection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Watches every enrolled, non-revoked device and records {@link Event.DeviceNotice}s for Kadera staff:
 * OFFLINE after {@link SupervisionSettings#allowance()} without any frame, BACK_ONLINE when a frame
 * arrives from a device reported offline, and LOW_BATTERY / DEVICE_FAULT / TAMPER when a STATUS frame
 * starts a condition.
 *
 * <p><b>Rebuilt from the log.</b> It is a {@link Projection}: register it before the log is opened,
 * so replay teaches it every device, its last frame and what was already reported; then call
 * {@link #start}. What staff were told is what the log says (the notices themselves), and what is
 * owed is the difference between that and what the frames show, so a notice lost to a crash is sent
 * after the restart, and one already in the log is never sent twice.
 *
 * <p><b>No storm after a restart.</b> Time does not pass for supervision while the server is down:
 * after {@code start()} every device's deadline is {@code max(lastSeen, start) + allowance}.
 *
 * <p><b>Once per transition.</b> At most one notice of a kind is in flight per device; OFFLINE is sent
 * once until the device is back; a STATUS condition is reported again only after a full allowance
 * passed without a STATUS frame of that code.
 *
 * <p><b>Threads.</b> {@link #apply} runs on the replaying thread or the log writer thread: it only
 * updates the device's state under that device's own lock and never calls the recorder. Notices are
 * recorded from the supervisor's own scheduler thread ({@value #THREAD_NAME}).
 */
public final class DeviceSupervisor implements Projection, AutoCloseable {
    public static final String OFFLINE = "aware.devices.offline";
    public static final String SUPERVISED = "aware.devices.supervised";
    public static final String NOTICES = "aware.devices.notices";
    public static final String NOTICE_FAILURES = "aware.devices.notice.failures";
    static final String THREAD_NAME = "aware-device-supervisor";

    private static final Logger log = LoggerFactory.getLogger(DeviceSupervisor.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final SupervisionSettings settings;
    private final long allowanceNanos;
    private final long allowanceMs;
    private volatile EventRecorder recorder; // set by start
    private final LongSupplier nanoClock;
    private final LongSupplier wallClockMs;
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicInteger offlineCount = new AtomicInteger();
    private final Map<DeviceNoticeKind, Counter> notices = new EnumMap<>(DeviceNoticeKind.class);
    private final Counter failures;

    private volatile boolean started;
    private volatile long startNanos;
    private volatile long startWallMs;
    private ScheduledExecutorService scheduler; // guarded by this

    public DeviceSupervisor(SupervisionSettings settings, MeterRegistry registry) {
        this(settings, registry, System::nanoTime, System::currentTimeMillis);
    }

    DeviceSupervisor(SupervisionSettings settings, MeterRegistry registry, LongSupplier nanoClock,
                     LongSupplier wallClockMs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoClock = nanoClock;
        this.wallClockMs = wallClockMs;
        this.allowanceNanos = settings.allowance().toNanos();
        this.allowanceMs = settings.allowance().toMillis();
        for (DeviceNoticeKind kind : DeviceNoticeKind.values()) {
            notices.put(kind, Counter.builder(NOTICES).tag("kind", kind.label())
                    .description("Device notices recorded for Kadera staff, by kind").register(registry));
        }
        failures = Counter.builder(NOTICE_FAILURES)
                .description("Device notices that could not be recorded (retried at the next check)").register(registry);
        Gauge.builder(OFFLINE, offlineCount, AtomicInteger::get)
                .description("Supervised devices reported offline and not back").register(registry);
        Gauge.builder(SUPERVISED, watches, Map::size)
                .description("Enrolled, non-revoked devices under supervision").register(registry);
    }

    /** One device's supervision state. Every field is guarded by the Watch's own monitor. */
    private static final class Watch {
        final long deviceId;
        long lastSeenWallMs;
        boolean hasDeadline;
        long deadlineNanos;
        int battery = Location.UNKNOWN_BATTERY;
        boolean reportedOffline;
        boolean pendingOffline;
        boolean seenSinceOffline;
        boolean pendingBackOnline;
        EnumMap<DeviceNoticeKind, Condition> conditions;

        Watch(long deviceId, long lastSeenWallMs) {
            this.deviceId = deviceId;
            this.lastSeenWallMs = lastSeenWallMs;
        }

        Condition condition(DeviceNoticeKind kind) {
            if (conditions == null) {
                conditions = new EnumMap<>(DeviceNoticeKind.class);
            }
            return conditions.computeIfAbsent(kind, k -> new Condition());
        }
    }

    /** A STATUS condition (low battery, fault, tamper) of one device. */
    private static final class Condition {
        long lastStatusMs = NEVER;
        boolean owed;
        boolean pending;
        int battery = Location.UNKNOWN_BATTERY;
    }

    private record Due(Watch watch, Event.DeviceNotice notice) {
    }

    /** Runs on the replaying thread or the log writer thread: never blocks, never records. */
    @Override
    public void apply(LogRecord record, Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            frame(accepted);
        } else if (event instanceof Event.DeviceNotice notice) {
            notice(notice, record.timestampMs());
        } else if (event instanceof Event.DeviceEnrolled enrolled) {
            enrolled(enrolled.deviceId(), record.timestampMs());
        } else if (event instanceof Event.DeviceRevoked revoked) {
            revoked(revoked.deviceId());
        }
    }

    private void enrolled(long deviceId, long timestampMs) {
        watches.computeIfAbsent(deviceId, id -> {
            Watch watch = new Watch(id, timestampMs);
            if (started) {
                watch.deadlineNanos = nanoClock.getAsLong() + allowanceNanos;
                watch.hasDeadline = true;
            }
            return watch;
        });
    }

    private void revoked(long deviceId) {
        Watch watch = watches.remove(deviceId);
        if (watch != null) {
            synchronized (watch) {
                if (watch.reportedOffline) {
                    watch.reportedOffline = false;
                    offlineCount.decrementAndGet();
                }
            }
        }
    }

    private void frame(Event.FrameAccepted accepted) {
        DeviceFrame frame = accepted.frame();
        Watch watch = watches.get(frame.deviceId());
        if (watch == null) {
            return; // not enrolled or revoked: not supervised
        }
        long receivedMs = accepted.receiveTimeMs();
        int battery = frame.batteryPercent();
        synchronized (watch) {
            watch.lastSeenWallMs = Math.max(watch.lastSeenWallMs, receivedMs);
            if (battery != Location.UNKNOWN_BATTERY) {
                watch.battery = battery;
            }
            if (started) {
                watch.deadlineNanos = nanoClock.getAsLong() + allowanceNanos;
                watch.hasDeadline = true;
            }
            if (watch.reportedOffline || watch.pendingOffline) {
                watch.seenSinceOffline = true;
            }
            if (frame.type() == FrameType.STATUS) {
                DeviceNoticeKind kind = statusKind(frame.flagsOrCode());
                if (kind != null) {
                    Condition condition = watch.condition(kind);
                    if (condition.lastStatusMs == NEVER || receivedMs - condition.lastStatusMs > allowanceMs) {
                        condition.owed = true;
                        condition.battery = battery;
                    }
                    condition.lastStatusMs = Math.max(condition.lastStatusMs, receivedMs);
                }
            }
        }
    }

    private void notice(Event.DeviceNotice notice, long timestampMs) {
        Watch watch = watches.get(notice.deviceId());
        if (watch == null) {
            return;
        }
        synchronized (watch) {
            switch (notice.kind()) {
                case OFFLINE -> {
                    if (!watch.pendingOffline) {
                        watch.seenSinceOffline = false; // frames before it in log order do not bring it back
                    }
                    watch.pendingOffline = false;
                    if (!watch.reportedOffline) {
                        watch.reportedOffline = true;
                        offlineCount.incrementAndGet();
                    }
                }
                case BACK_ONLINE -> {
                    watch.pendingBackOnline = false;
                    watch.seenSinceOffline = false;
                    if (watch.reportedOffline) {
                        watch.reportedOffline = false;
                        offlineCount.decrementAndGet();
                    }
                }
                default -> {
                    Condition condition = watch.condition(notice.kind());
                    condition.owed = false;
                    condition.pending = false;
                    if (condition.lastStatusMs == NEVER) {
                        condition.lastStatusMs = timestampMs;
                    }
                }
            }
        }
    }

    private static DeviceNoticeKind statusKind(int code) {
        return switch (code) {
            case 1 -> DeviceNoticeKind.LOW_BATTERY;
            case 2 -> DeviceNoticeKind.DEVICE_FAULT;
            case 3 -> DeviceNoticeKind.TAMPER;
            default -> null;
        };
    }

    /**
     * Starts supervising: call once, after the log's replay. Every device gets a full allowance from now
     * (or from its last frame, if that is later).
     *
     * @param recorder appends a notice to the log and applies it to the server state once durable (the
     *                 server's intake); its notices come back through {@link #apply}, as every durable event does
     */
    public synchronized void start(EventRecorder recorder) {
        if (started || scheduler != null) {
            throw new IllegalStateException("device supervision already started");
        }
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        startWallMs = wallClockMs.getAsLong();
        startNanos = nanoClock.getAsLong();
        started = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.checkInterval().toNanos();
        scheduler.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.NANOSECONDS);
        log.info("device supervision started: {} devices, {} already offline, OFFLINE after {} of silence",
                watches.size(), offlineCount.get(), settings.allowance());
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("device supervision check failed; retrying at the next check", e);
        }
    }

    /** One pass over every device: records the notices that are owed. Runs on the scheduler thread. */
    void check() {
        if (!started) {
            return;
        }
        long now = nanoClock.getAsLong();
        List<Due> due = new ArrayList<>();
        for (Watch watch : watches.values()) {
            synchronized (watch) {
                if (!watch.hasDeadline) {
                    long lastSeenAfterStartMs = Math.max(0, watch.lastSeenWallMs - startWallMs);
                    watch.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(lastSeenAfterStartMs)
                            + allowanceNanos;
                    watch.hasDeadline = true;
                }
                if (watch.reportedOffline) {
                    if (watch.seenSinceOffline && !watch.pendingBackOnline) {
                        watch.pendingBackOnline = true;
                        due.add(due(watch, DeviceNoticeKind.BACK_ONLINE, watch.battery));
                    }
                } else if (!watch.pendingOffline && now - watch.deadlineNanos > 0) {
                    watch.pendingOffline = true;
                    watch.seenSinceOffline = false;
                    due.add(due(watch, DeviceNoticeKind.OFFLINE, watch.battery));
                }
                if (watch.conditions != null) {
                    watch.conditions.forEach((kind, condition) -> {
                        if (condition.owed && !condition.pending) {
                            condition.pending = true;
                            due.add(due(watch, kind, condition.battery));
                        }
                    });
                }
            }
        }
        for (Due d : due) {
            record(d);
        }
    }

    private static Due due(Watch watch, DeviceNoticeKind kind, int battery) {
        return new Due(watch, new Event.DeviceNotice(watch.deviceId, kind, battery));
    }

    private void record(Due due) {
        Event.DeviceNotice notice = due.notice();
        CompletableFuture<?> recorded;
        try {
            recorded = recorder.record(notice);
        } catch (RuntimeException e) {
            recorded = CompletableFuture.failedFuture(e);
        }
        recorded.whenComplete((result, failure) -> {
            if (failure == null) {
                notices.get(notice.kind()).increment();
                log.info("device {} {}: notice recorded for Kadera staff (battery {})",
                        hex(notice.deviceId()), notice.kind(), battery(notice.batteryPercent()));
                return;
            }
            Watch watch = due.watch();
            synchronized (watch) {
                switch (notice.kind()) {
                    case OFFLINE -> watch.pendingOffline = false;
                    case BACK_ONLINE -> watch.pendingBackOnline = false;
                    default -> watch.condition(notice.kind()).pending = false;
                }
            }
            failures.increment();
            log.warn("device {} {}: notice not recorded, retrying at the next check: {}",
                    hex(notice.deviceId()), notice.kind(), failure.toString());
        });
    }

    /** Devices reported offline and not back, for the staff API. */
    public List<Long> offlineDevices() {
        List<Long> offline = new ArrayList<>();
        for (Watch watch : watches.values()) {
            synchronized (watch) {
                if (watch.reportedOffline) {
                    offline.add(watch.deviceId);
                }
            }
        }
        offline.sort(null);
        return offline;
    }

    /** What supervision knows of a device; empty when it is not supervised (unknown or revoked). */
    public Optional<DeviceStatus> status(long deviceId) {
        Watch watch = watches.get(deviceId);
        if (watch == null) {
            return Optional.empty();
        }
        synchronized (watch) {
            return Optional.of(new DeviceStatus(deviceId, watch.lastSeenWallMs, watch.reportedOffline, watch.battery));
        }
    }

    public int offlineCount() {
        return offlineCount.get();
    }

    private static String hex(long deviceId) {
        return String.format("%016x", deviceId);
    }

    private static String battery(int percent) {
        return percent == Location.UNKNOWN_BATTERY ? "unknown" : percent + "%";
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
