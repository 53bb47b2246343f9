package nl.aware.records.history;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.OpenAlarms;
import nl.aware.core.state.Projection;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every alert of the log as an {@link AlertSummary} row, for listing and filtering. The same
 * {@link #apply} serves a live server ({@code ServerState} registers one, so list queries need no read
 * of the log) and a full read of a log directory ({@link #load}). Alerts open and join by the rule of
 * {@link OpenAlarms} and {@link AlertMembership}: a PANIC while the carrier's alert is open (from any of
 * the carrier's devices) is a repeated press; a CLOSED report ends it; a TEST is an alert of its own.
 *
 * <p>{@link #apply} runs on the replaying thread or the log writer thread, one record at a time; the
 * queries may run on any thread.
 */
public final class AlertIndex implements Projection {
    private final Map<UUID, AlertSummary> alerts = new ConcurrentHashMap<>();
    /** Alert ids by press sequence, newest first: a list walks this and stops at its limit. */
    private final NavigableMap<Long, UUID> newestFirst = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final Map<Long, Region> regionOfDevice = new ConcurrentHashMap<>();
    private final Map<Long, UUID> carrierOfDevice = new ConcurrentHashMap<>();
    /** Which alert a press opens or joins: the rule dispatch follows (one carrier, one open alert). */
    private final OpenAlarms openAlarms = new OpenAlarms(device -> Optional.ofNullable(carrierOfDevice.get(device)));
    /** Legal holds now, by alert, with who placed them; the months whose location keys were purged. */
    private final Map<UUID, String> heldBy = new ConcurrentHashMap<>();
    private final Set<String> purgedMonths = ConcurrentHashMap.newKeySet();
    /** Alerts held when a purge ran (their frames live on under a hold key) and not yet let go by a later purge. */
    private final Set<UUID> heldCopies = ConcurrentHashMap.newKeySet();
    /** Event ids of presses that joined an open alert: part of an alert, never one of their own. */
    private final Set<UUID> repeatedPresses = ConcurrentHashMap.newKeySet();
    /** The sequence of the last event that changed an alert; read by other threads, written by the log's applier. */
    private volatile long lastChange;
    /** Record types {@link #apply} looks at; a full read decodes (and opens) only these. */
    private static final Set<Integer> USED = Set.of(EventCodec.DEVICE_ENROLLED, EventCodec.DEVICE_ASSIGNED,
            EventCodec.FRAME_ACCEPTED, EventCodec.DELIVERED, EventCodec.ALERT_ESCALATED,
            EventCodec.ALERT_STATUS_REPORTED, EventCodec.LEGAL_HOLD_PLACED, EventCodec.LEGAL_HOLD_RELEASED,
            EventCodec.LOCATIONS_PURGED);

    /** An index built by reading a log, and what the read found about the log's integrity. */
    public record Loaded(AlertIndex index, VerifyResult log) {
    }

    /**
     * Reads a log directory read-only (no lock) into a new index. A damaged log gives the alerts before
     * the first bad record; {@link Loaded#log()} says where it stopped.
     *
     * @throws EventFormatException when a sound record cannot be decoded (e.g. keys that do not open it)
     */
    public static Loaded load(Path logDirectory, DataKeyRing keys) throws IOException, EventFormatException {
        AlertIndex index = new AlertIndex();
        EventCodec codec = new EventCodec(keys);
        EventFormatException[] failure = {null};
        VerifyResult result = EventLog.read(logDirectory, record -> {
            if (failure[0] != null || !USED.contains(record.type())) {
                return;
            }
            try {
                index.apply(record, codec.decode(record));
            } catch (EventFormatException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Loaded(index, result);
    }

    @Override
    public void apply(LogRecord record, Event event) {
        if (event instanceof Event.DeviceEnrolled e) {
            regionOfDevice.put(e.deviceId(), e.region());
        } else if (event instanceof Event.DeviceAssigned e) {
            carrierOfDevice.put(e.deviceId(), e.carrierId());
        } else if (event instanceof Event.FrameAccepted accepted) {
            frame(record, accepted);
        } else if (event instanceof Event.Delivered d) {
            lastChange = record.sequence();
            alerts.computeIfPresent(d.itemId(), (id, a) -> with(a, a.state().advance(AlertState.DELIVERED),
                    a.escalated(), a.presses(), record.sequence()));
        } else if (event instanceof Event.AlertEscalated e) {
            lastChange = record.sequence();
            alerts.computeIfPresent(e.alertId(), (id, a) -> with(a, a.state(), true, a.presses(), record.sequence()));
        } else if (event instanceof Event.LegalHoldPlaced hold) {
            heldBy.put(hold.alertId(), hold.by());
        } else if (event instanceof Event.LegalHoldReleased release) {
            heldBy.remove(release.alertId());
        } else if (event instanceof Event.LocationsPurged purge) {
            purgedMonths.addAll(purge.months());
            heldCopies.addAll(heldBy.keySet());
            purge.releasedHolds().forEach(heldCopies::remove);
        } else if (event instanceof Event.AlertStatusReported s) {
            lastChange = record.sequence();
            alerts.computeIfPresent(s.alertId(), (id, a) -> with(a, a.state().advance(AlertState.of(s.status())),
                    a.escalated(), a.presses(), record.sequence()));
            if (s.status() == AlertStatus.CLOSED) {
                openAlarms.close(s.alertId());
            }
        }
    }

    private void frame(LogRecord record, Event.FrameAccepted accepted) {
        FrameType type = accepted.frame().type();
        if (type != FrameType.PANIC && type != FrameType.TEST) {
            return;
        }
        lastChange = record.sequence();
        long deviceId = accepted.frame().deviceId();
        if (type == FrameType.PANIC) {
            UUID alertId = openAlarms.press(deviceId, accepted.eventId(), accepted.receiveTimeMs()).alertId();
            if (!alertId.equals(accepted.eventId()) && alerts.containsKey(alertId)) {
                repeatedPresses.add(accepted.eventId());
                alerts.computeIfPresent(alertId, (id, a) -> with(a, a.state(), a.escalated(), a.presses() + 1,
                        record.sequence()));
                return;
            }
        }
        newestFirst.put(record.sequence(), accepted.eventId());
        alerts.put(accepted.eventId(), new AlertSummary(accepted.eventId(), deviceId, carrierOfDevice.get(deviceId),
                regionOfDevice.get(deviceId), Instant.ofEpochMilli(accepted.receiveTimeMs()),
                Instant.ofEpochMilli(accepted.frame().deviceTimeMs()),
                type == FrameType.TEST ? AlertType.TEST : AlertType.REAL, 1, AlertState.RAISED, false,
                record.sequence(), record.sequence()));
    }

    private static AlertSummary with(AlertSummary a, AlertState state, boolean escalated, int presses, long sequence) {
        return new AlertSummary(a.alertId(), a.deviceId(), a.carrierId(), a.region(), a.pressTime(), a.deviceTime(),
                a.type(), presses, state, escalated, a.pressSequence(), sequence);
    }

    /** The alerts that match, newest press first, at most {@code limit}. */
    public List<AlertSummary> list(AlertFilter filter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<AlertSummary> rows = new ArrayList<>(Math.min(limit, 1024));
        for (UUID id : newestFirst.values()) {
            AlertSummary row = alerts.get(id);
            if (row != null && filter.matches(row)) {
                rows.add(row);
                if (rows.size() == limit) {
                    break;
                }
            }
        }
        return List.copyOf(rows);
    }

    public Optional<AlertSummary> find(UUID alertId) {
        return Optional.ofNullable(alerts.get(alertId));
    }

    /**
     * Whether {@code id} may name an alert, the one rule for "only an alert id is an alert id": an alert
     * this index holds; never a repeated press it saw join one. Once a purge has shredded months of frames,
     * which a replay after a restart can no longer read (alerts under legal hold among them), an id it does
     * not know may still be such an alert: then the history reader decides, from the held copies.
     */
    public boolean mayBeAlert(UUID id) {
        return alerts.containsKey(id) || (!purgedMonths.isEmpty() && !repeatedPresses.contains(id));
    }

    /**
     * The log sequence of the last event that changed an alert (0 before any): a cheap, non-personal
     * check a console polls to learn that there is something new to read.
     */
    public long lastChange() {
        return lastChange;
    }

    public int size() {
        return alerts.size();
    }

    /** Who placed the legal hold the alert is under now; empty when it is under none. */
    public Optional<String> heldBy(UUID alertId) {
        return Optional.ofNullable(heldBy.get(alertId));
    }

    /** Whether the retention purge destroyed the alert's locations (its month's key is gone and no hold kept a copy). */
    public boolean locationsPurged(UUID alertId) {
        AlertSummary alert = alerts.get(alertId);
        return alert != null && !heldCopies.contains(alertId)
                && purgedMonths.contains(java.time.YearMonth.from(alert.pressTime().atZone(java.time.ZoneOffset.UTC)).toString());
    }
}
