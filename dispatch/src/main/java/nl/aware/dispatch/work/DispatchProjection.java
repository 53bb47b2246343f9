package nl.aware.dispatch.work;

import nl.aware.core.event.Event;
import nl.aware.core.event.ReportChannel;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.core.state.OpenAlarms;
import nl.aware.core.state.Projection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns durable frames into dispatch work and remembers which work is still owed. Rebuilt from the
 * log at start-up, so that work that was durable but not delivered is sent again after a restart,
 * with the same ids. Runs on the replaying thread or the log writer thread (in log order).
 */
public final class DispatchProjection implements Projection {
    private final DeviceRegistry devices;
    private final OpenAlarms openAlarms;
    private final Map<UUID, DispatchItem> owed = new LinkedHashMap<>();
    /** Owed work by the sequence of its record (work streams of a Redis deployment name the sequence). */
    private final Map<Long, UUID> owedBySequence = new java.util.HashMap<>();
    private final Map<UUID, String> acceptedAlerts = new ConcurrentHashMap<>();
    private final Set<UUID> escalated = ConcurrentHashMap.newKeySet();
    private final Map<UUID, AlertView> alerts = new ConcurrentHashMap<>();
    /** Alerts an operator verified by listening in, and alerts with recorded sound: told to the police. */
    private final Set<UUID> verifiedByListening = ConcurrentHashMap.newKeySet();
    private final Set<UUID> recorded = ConcurrentHashMap.newKeySet();
    private Consumer<DispatchItem> sink;
    private volatile Consumer<UUID> acceptedListener = alertId -> { };

    public DispatchProjection(DeviceRegistry devices, OpenAlarms openAlarms) {
        this.devices = devices;
        this.openAlarms = openAlarms;
    }

    @Override
    public synchronized void apply(LogRecord record, Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            if (accepted.frame().type() == FrameType.AUDIO) {
                // Kept audio of a device with an open alert is that alert's (the intake refuses any other stream).
                openAlarms.of(accepted.frame().deviceId()).ifPresent(open -> recorded.add(open.alertId()));
            }
            work(record, accepted).ifPresent(item -> {
                if (item.kind().opensAlert()) {
                    alerts.put(item.alertId(), new AlertView(item.alertId(), item.region(), null));
                }
                owe(item);
            });
        } else if (event instanceof Event.Delivered delivered) {
            DispatchItem item = settle(delivered.itemId());
            // On the console of a console-only region is not the police accepting: an operator's step is.
            if (item != null && item.kind().opensAlert() && !isConsoleTarget(delivered.target())) {
                acceptedAlerts.put(item.alertId(), delivered.reference());
                acceptedListener.accept(item.alertId());
            }
        } else if (event instanceof Event.WorkShed shed) {
            settle(shed.itemId());
        } else if (event instanceof Event.AlertEscalated alert) {
            escalated.add(alert.alertId());
        } else if (event instanceof Event.DeviceNotice notice) {
            devices.find(notice.deviceId()).ifPresent(device -> owe(new DispatchItem(noticeId(record.sequence()),
                    WorkKind.DEVICE_NOTICE, device.region(), null, record.sequence(), record.timestampMs(), null, false,
                    0, notice)));
        } else if (event instanceof Event.AlertStatusReported status) {
            AlertView view = alerts.get(status.alertId());
            if (view == null || (view.status() != null && !status.status().after(view.status()))) {
                return; // the lifecycle never goes back; a late record of an earlier step changes nothing
            }
            alerts.put(status.alertId(), new AlertView(status.alertId(), view.region(), status.status()));
            if (status.outcome() == nl.aware.core.event.VerificationOutcome.CONFIRMED_BY_LISTENING) {
                verifiedByListening.add(status.alertId());
            }
            if (status.channel() == ReportChannel.CONSOLE) {
                // The region's own police system hears of the operator's step as an alert update.
                owe(new DispatchItem(lifecycleId(record.sequence()), WorkKind.LIFECYCLE_UPDATE, view.region(),
                        status.alertId(), record.sequence(), record.timestampMs(), null, false, 0, null, status,
                        new ListeningFacts(verifiedByListening.contains(status.alertId()),
                                recorded.contains(status.alertId()))));
            }
        }
    }

    private DispatchItem settle(UUID itemId) {
        DispatchItem item = owed.remove(itemId);
        if (item != null) {
            owedBySequence.remove(item.sequence());
        }
        return item;
    }

    /** New work: owed until delivered or shed, and handed to the live sink once there is one. */
    private void owe(DispatchItem item) {
        DispatchItem replaced = owed.put(item.itemId(), item);
        if (replaced != null) {
            owedBySequence.remove(replaced.sequence());
        }
        owedBySequence.put(item.sequence(), item.itemId());
        if (sink != null) {
            sink.accept(item);
        }
    }

    /**
     * Connects the live sink and hands it everything still owed, PANIC first, then by log order.
     * From then on every new piece of work goes to the sink as it becomes durable.
     */
    public synchronized void start(Consumer<DispatchItem> liveSink) {
        List<DispatchItem> backlog = new ArrayList<>(owed.values());
        backlog.sort(Comparator.comparing(DispatchItem::priority).thenComparingLong(DispatchItem::sequence));
        backlog.forEach(liveSink);
        this.sink = liveSink;
    }

    /**
     * Told of every alert the police accepted, whoever delivered it (with several dispatch workers, the
     * updates one worker parked wait for an acceptance another worker may have recorded).
     */
    public void onAlertAccepted(Consumer<UUID> listener) {
        this.acceptedListener = listener;
    }

    /** The work still owed that passes {@code test}, in log order. */
    public synchronized List<DispatchItem> owed(java.util.function.Predicate<DispatchItem> test) {
        List<DispatchItem> matching = new ArrayList<>();
        for (DispatchItem item : owed.values()) {
            if (test.test(item)) {
                matching.add(item);
            }
        }
        return matching;
    }

    /** The work still owed for the record with this sequence, if any (for work handed out by sequence). */
    public synchronized Optional<DispatchItem> owedAt(long sequence) {
        UUID itemId = owedBySequence.get(sequence);
        return itemId == null ? Optional.empty() : Optional.ofNullable(owed.get(itemId));
    }

    private Optional<DispatchItem> work(LogRecord record, Event.FrameAccepted accepted) {
        long deviceId = accepted.frame().deviceId();
        Optional<DeviceRegistry.Device> device = devices.find(deviceId);
        if (device.isEmpty()) {
            return Optional.empty();
        }
        FrameType type = accepted.frame().type();
        UUID eventId = accepted.eventId();
        Optional<OpenAlarms.Alarm> alarm = openAlarms.of(deviceId);
        WorkKind kind;
        UUID alertId;
        int presses = 0;
        switch (type) {
            case PANIC -> {
                OpenAlarms.Alarm open = alarm.orElseThrow(); // the core projection opened or joined it
                kind = open.alertId().equals(eventId) ? WorkKind.NEW_ALERT : WorkKind.REPEATED_PRESS;
                alertId = open.alertId();
                presses = open.presses();
            }
            case LOCATION, CANCEL -> {
                if (alarm.isEmpty()) {
                    return Optional.empty(); // tracking without an open alert is kept in the log only
                }
                kind = type == FrameType.LOCATION ? WorkKind.LOCATION_UPDATE : WorkKind.CANCEL_NOTICE;
                alertId = alarm.get().alertId();
            }
            case TEST -> {
                kind = WorkKind.TEST_ALERT;
                alertId = eventId;
            }
            default -> { // heartbeats; STATUS frames reach Kadera through device supervision's notices
                return Optional.empty();
            }
        }
        return Optional.of(new DispatchItem(eventId, kind, device.get().region(), alertId, record.sequence(),
                accepted.receiveTimeMs(), accepted.frame(), accepted.delayed(), presses, null));
    }

    /** What the callback needs to know of an alert: its region and the last status reported. */
    public record AlertView(UUID alertId, nl.aware.core.event.Region region, nl.aware.core.event.AlertStatus status) {
    }

    public Optional<AlertView> alert(UUID alertId) {
        return Optional.ofNullable(alerts.get(alertId));
    }

    /** A notice's id: derived from its record, so it is the same after every replay (idempotency key). */
    public static UUID noticeId(long sequence) {
        return UUID.nameUUIDFromBytes(("aware-device-notice:" + sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The target a console-only region's work is settled with: shown on the console, sent nowhere else. */
    public static String consoleTarget(nl.aware.core.event.Region region) {
        return "console/" + region.label();
    }

    public static boolean isConsoleTarget(String target) {
        return target.startsWith("console/");
    }

    /** A lifecycle update's id: derived from its record, so it is the same after every replay (idempotency key). */
    public static UUID lifecycleId(long sequence) {
        return UUID.nameUUIDFromBytes(("aware-lifecycle:" + sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The police incident reference once the alert (or test alert) was accepted. */
    public Optional<String> acceptedReference(UUID alertId) {
        return Optional.ofNullable(acceptedAlerts.get(alertId));
    }

    public boolean escalated(UUID alertId) {
        return escalated.contains(alertId);
    }

    public synchronized boolean owes(UUID itemId) {
        return owed.containsKey(itemId);
    }

    public synchronized int owedCount() {
        return owed.size();
    }
}
