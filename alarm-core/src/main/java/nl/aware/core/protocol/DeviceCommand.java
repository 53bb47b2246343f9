package nl.aware.core.protocol;

import java.util.Optional;

/**
 * What a COMMAND (0x83) asks of a device, with the meaning of its u16 argument. The device answers every
 * command with COMMAND_RESULT; unanswered within {@link #ANSWER_WITHIN_MS} it is "no answer", never retried
 * without a person asking again.
 */
public enum DeviceCommand {
    /** Send a LOCATION now. Argument unused (0). */
    LOCATE(1),
    /** Open the microphone silently and stream AUDIO with streamId = the command id. Argument: seconds, 1..600. */
    LISTEN(2),
    /** End the LISTEN in progress. Argument unused (0). */
    STOP(3),
    /** Discreet feedback to the carrier (a vibration pattern). Argument: {@link AlertFeedback} code. */
    ALERT_STATUS(4);

    public static final long ANSWER_WITHIN_MS = 10_000;
    public static final int MAX_LISTEN_SECONDS = 600;

    private final int code;

    DeviceCommand(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether {@code argument} means something for this command (unused arguments are 0). */
    public boolean acceptsArgument(int argument) {
        return switch (this) {
            case LISTEN -> argument >= 1 && argument <= MAX_LISTEN_SECONDS;
            case ALERT_STATUS -> AlertFeedback.of(argument).isPresent();
            default -> argument == 0;
        };
    }

    public static Optional<DeviceCommand> of(int code) {
        for (DeviceCommand command : values()) {
            if (command.code == code) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    /** The argument of ALERT_STATUS: what the carrier feels. */
    public enum AlertFeedback {
        CONTROL_ROOM_HAS_ALERT(1),
        HELP_ON_THE_WAY(2),
        ALERT_CLOSED(3);

        private final int code;

        AlertFeedback(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Optional<AlertFeedback> of(int code) {
            for (AlertFeedback feedback : values()) {
                if (feedback.code == code) {
                    return Optional.of(feedback);
                }
            }
            return Optional.empty();
        }
    }
}
