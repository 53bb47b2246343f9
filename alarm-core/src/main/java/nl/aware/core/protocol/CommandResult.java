package nl.aware.core.protocol;

import io.netty.buffer.Unpooled;

import java.util.Optional;

/** The payload of a COMMAND_RESULT frame: {@code u64 commandId, u8 result}, the device's answer to a COMMAND. */
public record CommandResult(long commandId, Outcome outcome) {
    public static final int BYTES = 8 + 1;

    /** What the device did with a command. */
    public enum Outcome {
        DONE(0, "done"),
        STARTED(1, "started"),
        REFUSED_BY_SETTINGS(2, "refused by the device's settings"),
        NOT_SUPPORTED(3, "not supported"),
        FAILED(4, "failed");

        private final int code;
        private final String label;

        Outcome(int code, String label) {
            this.code = code;
            this.label = label;
        }

        public int code() {
            return code;
        }

        /** In words, for people (history, console). */
        public String label() {
            return label;
        }

        public static Optional<Outcome> of(int code) {
            for (Outcome outcome : values()) {
                if (outcome.code == code) {
                    return Optional.of(outcome);
                }
            }
            return Optional.empty();
        }
    }

    public CommandResult {
        java.util.Objects.requireNonNull(outcome, "outcome");
    }

    public byte[] payload() {
        byte[] payload = new byte[BYTES];
        Unpooled.wrappedBuffer(payload).writerIndex(0).writeLong(commandId).writeByte(outcome.code());
        return payload;
    }

    /** @return the result, or null with {@code problem[0]} saying what is wrong */
    static CommandResult read(byte[] body, int offset, String[] problem) {
        long commandId = Unpooled.wrappedBuffer(body, offset, 8).readLong();
        int code = body[offset + 8] & 0xFF;
        Optional<Outcome> outcome = Outcome.of(code);
        if (outcome.isEmpty()) {
            problem[0] = "COMMAND_RESULT result " + code + " is not one of 0..4";
            return null;
        }
        return new CommandResult(commandId, outcome.get());
    }
}
