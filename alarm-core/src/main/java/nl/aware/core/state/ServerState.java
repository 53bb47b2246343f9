package nl.aware.core.state;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every projection of the event log in one place: the same {@link #apply} runs during start-up replay
 * and after each live append, in log order, so a restarted server is in the state it was before.
 */
public final class ServerState {
    private static final Logger log = LoggerFactory.getLogger(ServerState.class);
    private final DeviceRegistry devices = new DeviceRegistry();
    private final Map<Long, CounterWindow> counters = new ConcurrentHashMap<>();
    private final CarrierRegistry carriers = new CarrierRegistry();
    /** One open alert per carrier, whichever of the carrier's devices pressed. */
    private final OpenAlarms openAlarms = new OpenAlarms(
            deviceId -> carriers.ofDevice(deviceId).map(CarrierRegistry.Carrier::carrierId));
    private final StaffDirectory staff = new StaffDirectory();
    private final AudioStreams audioStreams = new AudioStreams(carriers);
    private final List<Projection> projections = new CopyOnWriteArrayList<>();

    /** Adds a projection of another module; register before the log is opened so it sees the replay. */
    public void register(Projection projection) {
        projections.add(projection);
    }

    /** Applies a durable event. Called from replay and from the log writer's callbacks, in log order. */
    public void apply(LogRecord record, Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            long deviceId = accepted.frame().deviceId();
            counters(deviceId).restore(accepted.frame(), accepted.eventId());
            if (accepted.frame().type() == FrameType.PANIC) {
                UUID alertId = openAlarms.press(deviceId, accepted.eventId(), accepted.receiveTimeMs()).alertId();
                audioStreams.pressed(deviceId, accepted.frame().counter(), alertId);
            } else if (accepted.frame().type() == FrameType.AUDIO) {
                audioStreams.kept(deviceId, accepted.frame().audio());
            } else if (accepted.frame().type() == FrameType.COMMAND_RESULT) {
                CommandResult result = accepted.frame().commandResult();
                if (result.outcome() != CommandResult.Outcome.DONE && result.outcome() != CommandResult.Outcome.STARTED) {
                    audioStreams.listenRefused(deviceId, result.commandId());
                }
            }
        } else if (event instanceof Event.AlertStatusReported status && status.status() == AlertStatus.CLOSED) {
            openAlarms.close(status.alertId());
            audioStreams.alertClosed(status.alertId());
        } else if (event instanceof Event.CommandSent sent) {
            if (sent.command() == DeviceCommand.LISTEN) {
                audioStreams.listening(sent.deviceId(), sent.commandId(), sent.alertId());
            } else if (sent.command() == DeviceCommand.STOP) {
                audioStreams.stopListening(sent.deviceId());
            }
        } else if (event instanceof Event.AudioGap gap) {
            audioStreams.gapRecorded(gap.deviceId(), gap.streamId());
        } else if (event instanceof Event.AudioRefused || event instanceof Event.CommandUnanswered) {
            // on the record only: they change no state
        } else if (event instanceof Event.CounterFloor floor) {
            floor.highestCounters().forEach((device, counter) -> counters(device).restoreFloor(counter));
        } else if (event instanceof Event.CarrierRegistered || event instanceof Event.DeviceAssigned
                || event instanceof Event.CarrierProfileUpdated || event instanceof Event.CarrierEnded
                || event instanceof Event.RecordingConsentSet) {
            carriers.apply(event);
        } else if (event instanceof Event.StaffAccountCreated || event instanceof Event.StaffPasswordChanged
                || event instanceof Event.StaffAccountDisabled || event instanceof Event.StaffAccess
                || event instanceof Event.StaffSecondFactorEnrolled || event instanceof Event.StaffSecondFactorUsed
                || event instanceof Event.StaffRecoveryCodeUsed || event instanceof Event.StaffSecondFactorReset
                || event instanceof Event.OperatorRegionsSet) {
            staff.apply(record, event);
        } else {
            if (event instanceof Event.DeviceEnrolled enrolled && devices.find(enrolled.deviceId())
                    .filter(d -> !d.epoch().equals(nl.aware.core.event.FrameIds.epoch(enrolled.certificateDer())))
                    .isPresent()) {
                // A new certificate is a new counter epoch: the device can always be brought back, even after
                // its counter reached 2^64-1. Frames of the old certificate are refused by the registry anyway.
                counters.put(enrolled.deviceId(), new CounterWindow());
            }
            devices.apply(event);
        }
        for (Projection projection : projections) {
            try {
                projection.apply(record, event);
            } catch (RuntimeException e) {
                // The event is durable whatever a view makes of it: a failing view must not turn an
                // ACK into a NACK (the device would resend, and the press would be recorded twice).
                log.error("projection {} failed on record {} ({}); the record stays durable",
                        projection.getClass().getSimpleName(), record.sequence(), event.getClass().getSimpleName(), e);
            }
        }
    }

    public DeviceRegistry devices() {
        return devices;
    }

    public CounterWindow counters(long deviceId) {
        return counters.computeIfAbsent(deviceId, id -> new CounterWindow());
    }

    public CarrierRegistry carriers() {
        return carriers;
    }

    /** Staff accounts and the recent access trail. */
    public StaffDirectory staff() {
        return staff;
    }

    public OpenAlarms openAlarms() {
        return openAlarms;
    }

    /** The audio streams devices may send now (open alerts' presses, LISTENs sent). */
    public AudioStreams audioStreams() {
        return audioStreams;
    }
}
