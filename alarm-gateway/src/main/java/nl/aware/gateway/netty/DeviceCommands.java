package nl.aware.gateway.netty;

import io.netty.channel.Channel;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.state.OpenAlarms;
import nl.aware.core.state.Projection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of COMMAND (DESIGN.md "ADP/1 additions"): sends LOCATE, LISTEN, STOP and ALERT_STATUS to a
 * connected device and puts each command and its outcome on the record. A command is durable ({@link
 * Event.CommandSent}) before its frame leaves, so a LISTEN's stream is open before the first AUDIO can arrive;
 * the device's COMMAND_RESULT is a signed frame kept by the intake like any other, and seen here as the log
 * applies it; no result within 10 s is {@link Event.CommandUnanswered}, never retried by itself.
 *
 * <p>ALERT_STATUS goes out by itself when the control room acknowledges an alert (1), a unit is dispatched (2)
 * and the alert is closed (3), to each device whose press is part of the alert, when it is connected.
 *
 * <p>As a {@link Projection} it runs on the log's applying thread and never blocks there: sending only
 * schedules work on the device connection's event loop. During start-up replay no device is connected, so
 * replayed lifecycle steps send nothing.
 */
public final class DeviceCommands implements Projection {
    private static final Logger log = LoggerFactory.getLogger(DeviceCommands.class);
    /** Who asked for the commands the server sends by itself. */
    public static final String SERVER = "server";

    /** How a command ended for whoever asked. */
    public sealed interface Outcome {
        /** The device answered. */
        record Answered(long commandId, CommandResult.Outcome result) implements Outcome {
        }

        /** No COMMAND_RESULT within 10 s; recorded as unanswered. */
        record NoAnswer(long commandId) implements Outcome {
        }

        /** The device has no open connection: nothing was sent or recorded. */
        record NotConnected() implements Outcome {
        }
    }

    private record Key(long deviceId, long commandId) {
    }

    private static final class Pending {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final Channel channel;
        volatile ScheduledFuture<?> deadline;

        Pending(Channel channel) {
            this.channel = channel;
        }
    }

    private final EventRecorder recorder;
    private final OpenAlarms openAlarms;
    private final Clock clock;
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    /** The last command id per device: ids only grow, also across restarts (rebuilt from the log). */
    private final Map<Long, Long> lastId = new ConcurrentHashMap<>();
    /** The devices whose presses make up each open alert: where ALERT_STATUS goes. */
    private final Map<UUID, Set<Long>> alertDevices = new ConcurrentHashMap<>();
    private volatile DeviceConnections connections; // null until the gateway lets devices in

    public DeviceCommands(EventRecorder recorder, OpenAlarms openAlarms, Clock clock) {
        this.recorder = recorder;
        this.openAlarms = openAlarms;
        this.clock = clock;
    }

    /** The gateway is open: commands can reach devices from now on. */
    public void attach(DeviceGateway gateway) {
        this.connections = gateway.connections();
    }

    /**
     * Sends a command to the device's open connection. The future completes with the device's answer, with
     * {@link Outcome.NoAnswer} after 10 s, or at once with {@link Outcome.NotConnected}; it fails when the
     * command could not be recorded (then nothing was sent).
     *
     * @param by      who asks (an operator's account, or {@link #SERVER})
     * @param alertId the alert it serves, or null
     * @throws IllegalArgumentException when the argument means nothing for the command (e.g. LISTEN of 0 s)
     */
    public CompletableFuture<Outcome> send(long deviceId, DeviceCommand command, int argument, String by,
                                           UUID alertId) {
        if (!command.acceptsArgument(argument)) {
            throw new IllegalArgumentException(command + " does not take argument " + argument);
        }
        DeviceConnections open = connections;
        Channel channel = open == null ? null : open.current(deviceId);
        if (channel == null) {
            return CompletableFuture.completedFuture(new Outcome.NotConnected());
        }
        long commandId = lastId.merge(deviceId, clock.millis(), (last, now) -> Math.max(last + 1, now));
        Key key = new Key(deviceId, commandId);
        Pending waiting = new Pending(channel);
        pending.put(key, waiting);
        CompletableFuture<LogRecord> recorded;
        try {
            recorded = recorder.record(new Event.CommandSent(deviceId, commandId, command, argument, by, alertId,
                    clock.millis()));
        } catch (RuntimeException e) {
            recorded = CompletableFuture.failedFuture(e);
        }
        recorded.whenCompleteAsync((record, failure) -> {
            if (failure != null) {
                pending.remove(key);
                waiting.outcome.completeExceptionally(failure);
                return;
            }
            if (!pending.containsKey(key)) {
                return; // answered already (a device quicker than our own write completing)
            }
            channel.writeAndFlush(ServerFrame.Command.of(deviceId, commandId, clock.millis(), command, argument));
            waiting.deadline = channel.eventLoop().schedule(() -> unanswered(key), DeviceCommand.ANSWER_WITHIN_MS,
                    TimeUnit.MILLISECONDS);
        }, channel.eventLoop());
        return waiting.outcome;
    }

    /** Event loop, 10 s after sending: no result came. */
    private void unanswered(Key key) {
        Pending waiting = pending.remove(key);
        if (waiting == null) {
            return;
        }
        recorder.recordOrReport(new Event.CommandUnanswered(key.deviceId(), key.commandId(), clock.millis()), log,
                "no answer to command " + key.commandId() + " of device " + DeviceIds.format(key.deviceId()));
        waiting.outcome.complete(new Outcome.NoAnswer(key.commandId()));
    }

    @Override
    public void apply(LogRecord record, Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            FrameType type = accepted.frame().type();
            long deviceId = accepted.frame().deviceId();
            if (type == FrameType.COMMAND_RESULT) {
                answered(deviceId, accepted.frame().commandResult());
            } else if (type == FrameType.PANIC) {
                openAlarms.of(deviceId).ifPresent(alarm -> alertDevices
                        .computeIfAbsent(alarm.alertId(), id -> ConcurrentHashMap.newKeySet()).add(deviceId));
            }
        } else if (event instanceof Event.CommandSent sent) {
            lastId.merge(sent.deviceId(), sent.commandId(), Math::max);
        } else if (event instanceof Event.AlertStatusReported status) {
            feedback(status).ifPresent(feedback -> {
                for (long deviceId : alertDevices.getOrDefault(status.alertId(), Set.of())) {
                    send(deviceId, DeviceCommand.ALERT_STATUS, feedback.code(), SERVER, status.alertId())
                            .whenComplete((outcome, failure) -> {
                                if (failure != null) {
                                    log.error("ALERT_STATUS to device {} not sent: {}", DeviceIds.format(deviceId),
                                            failure.toString());
                                }
                            });
                }
            });
            if (status.status() == AlertStatus.CLOSED) {
                alertDevices.remove(status.alertId());
            }
        }
    }

    /** What the carrier feels at a lifecycle step; empty for the steps that say nothing new to them. */
    static Optional<DeviceCommand.AlertFeedback> feedback(Event.AlertStatusReported status) {
        return switch (status.status()) {
            case ACKNOWLEDGED -> Optional.of(DeviceCommand.AlertFeedback.CONTROL_ROOM_HAS_ALERT);
            case UNIT_DISPATCHED -> Optional.of(DeviceCommand.AlertFeedback.HELP_ON_THE_WAY);
            case CLOSED -> Optional.of(DeviceCommand.AlertFeedback.ALERT_CLOSED);
            default -> Optional.empty();
        };
    }

    /** Log's applying thread: a durable COMMAND_RESULT. Completes the waiting caller on the connection's loop. */
    private void answered(long deviceId, CommandResult result) {
        Pending waiting = pending.remove(new Key(deviceId, result.commandId()));
        if (waiting == null) {
            return; // late (already "no answer"), replayed, or a command of another node: kept in the log anyway
        }
        ScheduledFuture<?> deadline = waiting.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        waiting.channel.eventLoop().execute(() -> waiting.outcome.complete(
                new Outcome.Answered(result.commandId(), result.outcome())));
    }
}
