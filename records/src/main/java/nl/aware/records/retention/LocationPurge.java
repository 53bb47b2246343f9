package nl.aware.records.retention;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.OpenAlarms;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Retention by crypto-shredding (docs/retention.md): device frames are sealed under the key of their month of
 * receive time; a purge first copies the frames of alerts under legal hold under a hold key, records what it
 * destroys, and only then destroys the keys of the months that have expired entirely. The log is never rewritten.
 */
public final class LocationPurge {
    /** Counter floors per record: 16 bytes each, well under the 64 KiB record limit. */
    static final int FLOORS_PER_RECORD = 3000;

    /** Something in the log stops a purge (a damaged log, an unreadable record). Nothing was changed. */
    public static final class PurgeException extends Exception {
        public PurgeException(String message) {
            super(message);
        }
    }

    /**
     * What a purge would do.
     *
     * @param months        months whose location keys are destroyed (their whole month lies before the cutoff)
     * @param releasedHolds alerts whose hold was released and whose held copies have expired: hold keys destroyed
     * @param toHold        frames of held alerts in those months that have no held copy yet
     * @param heldAlerts    alerts under legal hold now
     * @param floors        highest counter of each device whose highest frame is being purged
     * @param cutoff        receive times before this are expired
     */
    public record Plan(List<YearMonth> months, List<UUID> releasedHolds, List<Event.FrameHeld> toHold,
                       Set<UUID> heldAlerts, Map<Long, Long> floors, Instant cutoff) {
        public boolean nothingToDo() {
            return months.isEmpty() && releasedHolds.isEmpty();
        }
    }

    private LocationPurge() {
    }

    /** Reads the log (read-only, no lock) and the key directory; changes nothing. */
    public static Plan plan(Path logDirectory, DataKeyRing keys, Instant now, Period retention)
            throws IOException, PurgeException {
        Instant cutoff = now.atZone(ZoneOffset.UTC).minus(retention).toInstant();
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth month : keys.locationMonths()) {
            if (!start(month.plusMonths(1)).isAfter(cutoff)) {
                months.add(month);
            }
        }
        Scan scan = new Scan(new EventCodec(keys), Set.copyOf(months));
        VerifyResult read = EventLog.read(logDirectory, scan::onRecord);
        if (!read.intact()) {
            VerifyResult.Problem p = read.problem();
            throw new PurgeException("the event log in " + logDirectory + " is damaged (" + p.segment() + ", record "
                    + p.sequence() + ": " + p.description() + "); run `aware log verify`; nothing purged");
        }
        if (scan.failure != null) {
            throw new PurgeException(scan.failure.getMessage() + "; nothing purged");
        }
        List<Event.FrameHeld> toHold = new ArrayList<>();
        for (UUID alert : scan.held) {
            for (Event.FrameHeld frame : scan.expiringAlertFrames.getOrDefault(alert, List.of())) {
                if (!scan.alreadyHeld.contains(frame.eventId())) {
                    toHold.add(frame);
                }
            }
        }
        List<UUID> released = new ArrayList<>();
        for (Map.Entry<UUID, YearMonth> e : scan.lastHeldMonth.entrySet()) {
            if (!scan.held.contains(e.getKey()) && keys.hasHoldKey(e.getKey())
                    && !start(e.getValue().plusMonths(1)).isAfter(cutoff)) {
                released.add(e.getKey());
            }
        }
        Map<Long, Long> floors = new LinkedHashMap<>();
        scan.highestExpiring.forEach((device, counter) -> {
            Long kept = scan.highestKept.get(device);
            if (kept == null || Long.compareUnsigned(counter, kept) > 0) {
                floors.put(device, counter);
            }
        });
        return new Plan(List.copyOf(months), List.copyOf(released), List.copyOf(toHold), Set.copyOf(scan.held),
                floors, cutoff);
    }

    /**
     * The records to append, in this order, before any key is destroyed: the held copies, the counter floors,
     * then the purge record itself.
     */
    public static List<Event> records(Plan plan, String policy, String by) {
        List<Event> events = new ArrayList<>(plan.toHold());
        Map<Long, Long> chunk = new LinkedHashMap<>();
        for (Map.Entry<Long, Long> floor : plan.floors().entrySet()) {
            chunk.put(floor.getKey(), floor.getValue());
            if (chunk.size() == FLOORS_PER_RECORD) {
                events.add(new Event.CounterFloor(chunk));
                chunk = new LinkedHashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            events.add(new Event.CounterFloor(chunk));
        }
        events.add(new Event.LocationsPurged(plan.months().stream().map(YearMonth::toString).toList(),
                plan.releasedHolds(), policy, plan.cutoff().toEpochMilli(), by));
        return events;
    }

    /** After the records are durable: destroys the keys. What readers show from then on is {@code note(…)}. */
    public static void destroyKeys(Plan plan, DataKeyRing keys, String note) throws IOException {
        for (YearMonth month : plan.months()) {
            keys.destroyLocationKey(month, note);
        }
        for (UUID alert : plan.releasedHolds()) {
            keys.destroyHoldKey(alert, note);
        }
    }

    /** The words readers show in place of a purged location. */
    public static String note(LocalDate purgedOn, String policy) {
        return "location purged on " + purgedOn + " under retention policy " + policy;
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** One pass in log order: alert membership by the server's rule, holds, held copies, counters. */
    private static final class Scan {
        final EventCodec codec;
        final Set<YearMonth> expiring;
        final OpenAlarms open = new OpenAlarms();
        final Set<UUID> held = new LinkedHashSet<>();
        final Set<UUID> alreadyHeld = new java.util.HashSet<>();
        final Map<UUID, YearMonth> lastHeldMonth = new HashMap<>();
        final Map<UUID, List<Event.FrameHeld>> expiringAlertFrames = new HashMap<>();
        final Map<Long, Long> highestExpiring = new HashMap<>();
        final Map<Long, Long> highestKept = new HashMap<>();
        EventFormatException failure;

        Scan(EventCodec codec, Set<YearMonth> expiring) {
            this.codec = codec;
            this.expiring = expiring;
        }

        void onRecord(nl.aware.core.log.LogRecord record) {
            int type = record.type();
            if (failure != null || (type != EventCodec.FRAME_ACCEPTED && type != EventCodec.ALERT_STATUS_REPORTED
                    && type != EventCodec.LEGAL_HOLD_PLACED && type != EventCodec.LEGAL_HOLD_RELEASED
                    && type != EventCodec.FRAME_HELD)) {
                return;
            }
            Event event;
            try {
                event = codec.decode(record);
            } catch (EventFormatException e) {
                failure = e;
                return;
            }
            if (event instanceof Event.FrameAccepted accepted) {
                frame(accepted);
            } else if (event instanceof Event.AlertStatusReported status && status.status() == AlertStatus.CLOSED) {
                open.close(status.alertId());
            } else if (event instanceof Event.LegalHoldPlaced hold) {
                held.add(hold.alertId());
            } else if (event instanceof Event.LegalHoldReleased release) {
                held.remove(release.alertId());
            } else if (event instanceof Event.FrameHeld copy) {
                alreadyHeld.add(copy.eventId());
                lastHeldMonth.merge(copy.alertId(), month(copy.receiveTimeMs()), (a, b) -> a.isAfter(b) ? a : b);
            }
            // Event.FramePurged: purged by an earlier run, nothing left to do for it
        }

        void frame(Event.FrameAccepted accepted) {
            long device = accepted.frame().deviceId();
            UUID alert = null;
            FrameType type = accepted.frame().type();
            if (type == FrameType.PANIC) {
                alert = open.press(device, accepted.eventId(), accepted.receiveTimeMs()).alertId();
            } else if (type == FrameType.LOCATION || type == FrameType.CANCEL || type == FrameType.AUDIO
                    || type == FrameType.COMMAND_RESULT) {
                // Sound and command answers sent while an alert is open are its evidence too: a hold keeps them.
                alert = open.of(device).map(OpenAlarms.Alarm::alertId).orElse(null);
            }
            boolean expires = expiring.contains(month(accepted.receiveTimeMs()));
            Map<Long, Long> highest = expires ? highestExpiring : highestKept;
            highest.merge(device, accepted.frame().counter(), (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
            if (expires && alert != null) {
                expiringAlertFrames.computeIfAbsent(alert, a -> new ArrayList<>()).add(new Event.FrameHeld(
                        accepted.eventId(), alert, accepted.receiveTimeMs(), accepted.frame()));
            }
        }

        static YearMonth month(long receiveTimeMs) {
            return YearMonth.from(Instant.ofEpochMilli(receiveTimeMs).atZone(ZoneOffset.UTC));
        }
    }
}
