package nl.aware.web.controlroom;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The port through which the control room asks the device that pressed to open its microphone, or to stop:
 * implemented by the device gateway (its DeviceCommands, wired in AwareServer), so the web module never depends
 * on the gateway. Both are on the record there (CommandSent, and CommandUnanswered after 10 s).
 */
public interface DeviceListening {

    /** What came of a LISTEN or STOP. */
    enum Answer {
        /** The device answered STARTED (or DONE): it streams. */
        LISTENING,
        /** The device has no open connection: nothing was sent. */
        NOT_CONNECTED,
        /** No answer within 10 s. */
        NO_ANSWER,
        /** Refused by the device's settings, not supported, or failed. */
        REFUSED
    }

    /**
     * Sends LISTEN for {@code seconds} (at most 600) to the device; completes with the device's answer, within
     * about 10 s. Must not block the caller.
     */
    CompletableFuture<Answer> listen(long deviceId, int seconds, String by, UUID alertId);

    /** Sends STOP: the LISTEN in progress ends. Must not block the caller. */
    CompletableFuture<Answer> stop(long deviceId, String by, UUID alertId);

    /** No gateway (a server without devices): every device is "not connected". */
    DeviceListening NONE = new DeviceListening() {
        @Override
        public CompletableFuture<Answer> listen(long deviceId, int seconds, String by, UUID alertId) {
            return CompletableFuture.completedFuture(Answer.NOT_CONNECTED);
        }

        @Override
        public CompletableFuture<Answer> stop(long deviceId, String by, UUID alertId) {
            return CompletableFuture.completedFuture(Answer.NOT_CONNECTED);
        }
    };
}
