package nl.aware.web.controlroom;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.event.VerificationOutcome;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceClock;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.core.state.OpenAlarms;
import nl.aware.core.state.Projection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The control room's live picture of the alerts, rebuilt from the log like every projection: one row per
 * alert (what the queue shows), its track and its timeline, and a ring of the latest changes by log
 * sequence, from which a console that reconnects is served everything it missed.
 *
 * <p>Threading: {@link #apply} runs on the log's applying thread (replay, then the writer's callbacks) and
 * only updates memory and hands the change to {@code changes}, which must not block (the console pushes run
 * on their own thread: a console never delays a PANIC). Readers take the same monitor briefly.
 */
public final class AlertFeed implements Projection {
    /** Changes kept for resuming consoles: at about 300 bytes each, 3 MB. */
    static final int RING_CAPACITY = 10_000;
    /** Points of an alert's track kept (a fix every 15 s is two hours). */
    static final int TRACK_CAPACITY = 500;
    static final int TIMELINE_CAPACITY = 200;
    /** Closed alerts kept for their detail page after they left the queue. */
    static final int CLOSED_KEPT = 1_000;

    /** One point of a track: where the device was, how sure, and when received. */
    public record TrackPoint(long receiveTimeMs, double latitude, double longitude, int accuracyM, int fixAgeS,
                             int source) {
    }

    /** One step of an alert's timeline. {@code detail} holds no personal data except an operator's note. */
    public record Step(long sequence, long timeMs, String kind, String detail, String by) {
    }

    /**
     * One alert as the queue shows it: no name and no location, only what an operator needs to see that
     * something needs them.
     */
    public record Row(UUID alertId, Region region, long deviceId, long pressedAtMs, long lastPressAtMs, int presses,
                      boolean delayed, boolean test, boolean deviceClockWrong, int battery, boolean policeAccepted,
                      boolean escalated, AlertStatus status, VerificationOutcome outcome, String statusBy,
                      long sequence) {

        boolean open() {
            return status != AlertStatus.CLOSED;
        }
    }

    /** A change of one alert at a log sequence: what a console receives. */
    public record Change(long sequence, Row row) {
    }

    /** What a console gets when it (re)connects: the changes it missed, or the whole queue when too much was missed. */
    public record Resume(boolean reset, List<Row> queue, List<Change> missed, long latestSequence) {
    }

    private final DeviceRegistry devices;
    private final OpenAlarms openAlarms;
    private final int ringCapacity;
    private final Consumer<Change> changes;
    private final Map<UUID, Row> rows = new HashMap<>();
    private final Map<UUID, Deque<TrackPoint>> tracks = new HashMap<>();
    private final Map<UUID, Deque<Step>> timelines = new HashMap<>();
    private final Deque<UUID> closedOrder = new ArrayDeque<>();
    private final Deque<Change> ring = new ArrayDeque<>();
    /** The sequence of the newest change dropped from the ring: a console that saw less must start afresh. */
    private long forgottenUpTo;
    private long latestSequence;

    /** {@code changes} is told of every change, on the applying thread; it must hand it on, not block. */
    public AlertFeed(DeviceRegistry devices, OpenAlarms openAlarms, Consumer<Change> changes) {
        this(devices, openAlarms, changes, RING_CAPACITY);
    }

    /** With a ring of another size (tests of the resume rule). */
    AlertFeed(DeviceRegistry devices, OpenAlarms openAlarms, Consumer<Change> changes, int ringCapacity) {
        this.ringCapacity = ringCapacity;
        this.devices = devices;
        this.openAlarms = openAlarms;
        this.changes = changes;
    }

    @Override
    public synchronized void apply(LogRecord record, Event event) {
        latestSequence = Math.max(latestSequence, record.sequence());
        Row changed = null;
        if (event instanceof Event.FrameAccepted accepted) {
            changed = frame(record, accepted);
        } else if (event instanceof Event.Delivered delivered && !delivered.target().startsWith("console/")) {
            changed = update(delivered.itemId(), row -> withAccepted(row), record,
                    new Step(record.sequence(), record.timestampMs(), "police_accepted", delivered.reference(), delivered.target()));
        } else if (event instanceof Event.AlertEscalated escalated) {
            changed = update(escalated.alertId(), row -> withEscalated(row), record,
                    new Step(record.sequence(), record.timestampMs(), "escalated", escalated.reason(), escalated.route()));
        } else if (event instanceof Event.AlertStatusReported status) {
            Row row = rows.get(status.alertId());
            if (row != null && (row.status() == null || status.status().after(row.status()))) {
                changed = update(status.alertId(), r -> withStatus(r, status), record,
                        new Step(record.sequence(), record.timestampMs(), status.status().label(),
                                status.outcome() == null ? status.note()
                                        : status.outcome().label() + (status.note().isEmpty() ? "" : ": " + status.note()),
                                status.reporter()));
            }
        }
        if (changed == null) {
            return;
        }
        if (!changed.open()) {
            closedOrder.addLast(changed.alertId());
            while (closedOrder.size() > CLOSED_KEPT) {
                UUID old = closedOrder.removeFirst();
                rows.remove(old);
                tracks.remove(old);
                timelines.remove(old);
            }
        }
        Change change = new Change(record.sequence(), changed);
        ring.addLast(change);
        while (ring.size() > ringCapacity) {
            forgottenUpTo = ring.removeFirst().sequence();
        }
        changes.accept(change);
    }

    private Row frame(LogRecord record, Event.FrameAccepted accepted) {
        DeviceFrame frame = accepted.frame();
        Optional<DeviceRegistry.Device> device = devices.find(frame.deviceId());
        if (device.isEmpty()) {
            return null;
        }
        long at = accepted.receiveTimeMs();
        FrameType type = frame.type();
        if (type == FrameType.PANIC || type == FrameType.TEST) {
            boolean test = type == FrameType.TEST;
            UUID alertId = test ? accepted.eventId() : openAlarms.of(frame.deviceId()).orElseThrow().alertId();
            int presses = test ? 1 : openAlarms.of(frame.deviceId()).orElseThrow().presses();
            Row existing = rows.get(alertId);
            boolean clockWrong = DeviceClock.wrong(frame.deviceTimeMs(), at);
            Row row = existing == null
                    ? new Row(alertId, device.get().region(), frame.deviceId(), at, at, presses, accepted.delayed(), test,
                    clockWrong, frame.batteryPercent(), false, false, null, null, "", record.sequence())
                    : new Row(alertId, existing.region(), existing.deviceId(), existing.pressedAtMs(), at, presses,
                    existing.delayed() || accepted.delayed(), existing.test(), existing.deviceClockWrong() || clockWrong,
                    frame.batteryPercent(), existing.policeAccepted(), existing.escalated(), existing.status(),
                    existing.outcome(), existing.statusBy(), record.sequence());
            rows.put(alertId, row);
            step(alertId, new Step(record.sequence(), at, existing == null ? (test ? "test_press" : "press") : "repeated_press",
                    "press " + presses, ""));
            track(alertId, at, frame.location());
            return row;
        }
        Optional<OpenAlarms.Alarm> open = openAlarms.of(frame.deviceId());
        if (open.isEmpty() || !rows.containsKey(open.get().alertId())) {
            return null;
        }
        UUID alertId = open.get().alertId();
        if (type == FrameType.LOCATION) {
            track(alertId, at, frame.location());
            Row r = rows.get(alertId);
            Row row = new Row(r.alertId(), r.region(), r.deviceId(), r.pressedAtMs(), r.lastPressAtMs(), r.presses(),
                    r.delayed(), r.test(), r.deviceClockWrong(), frame.batteryPercent(), r.policeAccepted(),
                    r.escalated(), r.status(), r.outcome(), r.statusBy(), record.sequence());
            rows.put(alertId, row);
            return row;
        }
        if (type == FrameType.CANCEL) {
            step(alertId, new Step(record.sequence(), at, "cancel",
                    "informational only: the carrier may have been forced to cancel", ""));
            Row r = rows.get(alertId);
            return withSequence(r, record.sequence());
        }
        return null;
    }

    private Row update(UUID alertId, java.util.function.UnaryOperator<Row> change, LogRecord record, Step step) {
        Row row = rows.get(alertId);
        if (row == null) {
            return null;
        }
        Row updated = withSequence(change.apply(row), record.sequence());
        rows.put(alertId, updated);
        step(alertId, step);
        return updated;
    }

    private static Row withAccepted(Row r) {
        return new Row(r.alertId(), r.region(), r.deviceId(), r.pressedAtMs(), r.lastPressAtMs(), r.presses(), r.delayed(),
                r.test(), r.deviceClockWrong(), r.battery(), true, r.escalated(), r.status(), r.outcome(), r.statusBy(),
                r.sequence());
    }

    private static Row withEscalated(Row r) {
        return new Row(r.alertId(), r.region(), r.deviceId(), r.pressedAtMs(), r.lastPressAtMs(), r.presses(), r.delayed(),
                r.test(), r.deviceClockWrong(), r.battery(), r.policeAccepted(), true, r.status(), r.outcome(),
                r.statusBy(), r.sequence());
    }

    private static Row withStatus(Row r, Event.AlertStatusReported s) {
        return new Row(r.alertId(), r.region(), r.deviceId(), r.pressedAtMs(), r.lastPressAtMs(), r.presses(), r.delayed(),
                r.test(), r.deviceClockWrong(), r.battery(), r.policeAccepted(), r.escalated(), s.status(),
                s.outcome() != null ? s.outcome() : r.outcome(), s.reporter(), r.sequence());
    }

    private static Row withSequence(Row r, long sequence) {
        return new Row(r.alertId(), r.region(), r.deviceId(), r.pressedAtMs(), r.lastPressAtMs(), r.presses(), r.delayed(),
                r.test(), r.deviceClockWrong(), r.battery(), r.policeAccepted(), r.escalated(), r.status(), r.outcome(),
                r.statusBy(), sequence);
    }

    private void track(UUID alertId, long at, Location location) {
        if (!location.hasFix()) {
            return;
        }
        Deque<TrackPoint> track = tracks.computeIfAbsent(alertId, id -> new ArrayDeque<>());
        track.addLast(new TrackPoint(at, location.latitude(), location.longitude(), location.accuracyM(),
                location.fixAgeS(), location.source()));
        while (track.size() > TRACK_CAPACITY) {
            track.removeFirst();
        }
    }

    private void step(UUID alertId, Step step) {
        Deque<Step> timeline = timelines.computeIfAbsent(alertId, id -> new ArrayDeque<>());
        timeline.addLast(step);
        while (timeline.size() > TIMELINE_CAPACITY) {
            timeline.removeFirst();
        }
    }

    /**
     * The open alerts of these regions in queue order: real alerts before test alerts, those nobody has
     * acknowledged before the rest, newest press first.
     */
    public synchronized List<Row> queue(Set<Region> regions) {
        List<Row> open = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.open() && regions.contains(row.region())) {
                open.add(row);
            }
        }
        open.sort(QUEUE_ORDER);
        return open;
    }

    static final Comparator<Row> QUEUE_ORDER = Comparator.comparing(Row::test)
            .thenComparing(row -> row.status() != null)
            .thenComparing(Comparator.comparingLong(Row::pressedAtMs).reversed());

    public synchronized Optional<Row> row(UUID alertId) {
        return Optional.ofNullable(rows.get(alertId));
    }

    public synchronized List<TrackPoint> track(UUID alertId) {
        return List.copyOf(tracks.getOrDefault(alertId, new ArrayDeque<>()));
    }

    public synchronized List<Step> timeline(UUID alertId) {
        return List.copyOf(timelines.getOrDefault(alertId, new ArrayDeque<>()));
    }

    /**
     * What a console that last saw {@code after} needs, for these regions, and registers {@code then} under the
     * same monitor so that no change falls between the two. {@code after} below what the ring still holds, or
     * ahead of the log (a console that knew another server), gets the whole queue instead.
     */
    public synchronized Resume resume(long after, Set<Region> regions, Runnable then) {
        Resume resume;
        if (after < 0 || after < forgottenUpTo || after > latestSequence) {
            resume = new Resume(true, queue(regions), List.of(), latestSequence);
        } else {
            List<Change> missed = new ArrayList<>();
            for (Change change : ring) {
                if (change.sequence() > after && regions.contains(change.row().region())) {
                    missed.add(change);
                }
            }
            resume = new Resume(false, List.of(), missed, latestSequence);
        }
        then.run();
        return resume;
    }

    public synchronized long latestSequence() {
        return latestSequence;
    }

    /** For tests: a snapshot of the ring's bounds. */
    synchronized Map<String, Long> bounds() {
        Map<String, Long> bounds = new LinkedHashMap<>();
        bounds.put("forgottenUpTo", forgottenUpTo);
        bounds.put("latest", latestSequence);
        return bounds;
    }
}
