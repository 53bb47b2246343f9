package nl.aware.simulator.controlroom;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a simulated receiver (control room or Kadera) listens and misbehaves.
 *
 * @param name           short name shown in the view and the log, e.g. "ijsselland"
 * @param incidentPrefix prefix of the incident references a control room hands out, e.g. "IJS"
 * @param bindAddress    address to listen on; 127.0.0.1 unless a test needs otherwise
 * @param port           0 picks a free port on the first start; later starts reuse that port
 * @param responseDelay  every answer is written this long after the request was handled (a slow receiver)
 * @param failureShare   share of requests, 0.0 to 1.0, answered 503 at random without being handled
 */
public record ReceiverOptions(String name, String incidentPrefix, String bindAddress, int port,
                              Duration responseDelay, double failureShare) {
    public ReceiverOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(incidentPrefix, "incidentPrefix");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(responseDelay, "responseDelay");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (responseDelay.isNegative()) {
            throw new IllegalArgumentException("responseDelay must not be negative");
        }
        if (!(failureShare >= 0.0 && failureShare <= 1.0)) {
            throw new IllegalArgumentException("failureShare must be within 0.0..1.0, was " + failureShare);
        }
    }

    /** 127.0.0.1, a free port, no delay, no failures; the incident prefix is the name's first three letters. */
    public static ReceiverOptions named(String name) {
        String prefix = name.length() <= 3 ? name : name.substring(0, 3);
        return new ReceiverOptions(name, prefix.toUpperCase(Locale.ROOT), "127.0.0.1", 0, Duration.ZERO, 0.0);
    }

    public ReceiverOptions withIncidentPrefix(String prefix) {
        return new ReceiverOptions(name, prefix, bindAddress, port, responseDelay, failureShare);
    }

    public ReceiverOptions withBindAddress(String address) {
        return new ReceiverOptions(name, incidentPrefix, address, port, responseDelay, failureShare);
    }

    public ReceiverOptions withPort(int newPort) {
        return new ReceiverOptions(name, incidentPrefix, bindAddress, newPort, responseDelay, failureShare);
    }

    public ReceiverOptions withResponseDelay(Duration delay) {
        return new ReceiverOptions(name, incidentPrefix, bindAddress, port, delay, failureShare);
    }

    public ReceiverOptions withFailureShare(double share) {
        return new ReceiverOptions(name, incidentPrefix, bindAddress, port, responseDelay, share);
    }
}
