package nl.aware.simulator.controlroom;

import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.MutualTls;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a simulated control room reports an alert's lifecycle back to our server.
 *
 * @param callbackBase   our server's callback base URL; reports go to {@code {base}/police/v1/alerts/{alertId}/status}
 * @param tls            TLS 1.3 context presenting the control room's client certificate and trusting our CA
 * @param steps          the wait before each of acknowledged, unit_dispatched, on_scene, closed (from the previous step)
 * @param maxAttempts    attempts per report when our server answers 503 or cannot be reached
 * @param retryBackoff   wait before the second attempt; doubled for each further one
 * @param requestTimeout how long one attempt may take
 */
public record LifecycleOptions(URI callbackBase, SSLContext tls, List<Duration> steps, int maxAttempts,
                               Duration retryBackoff, Duration requestTimeout) {
    /** The statuses reported, in order. */
    public static final List<String> STATUSES = List.of("acknowledged", "unit_dispatched", "on_scene", "closed");

    public LifecycleOptions {
        Objects.requireNonNull(callbackBase, "callbackBase");
        Objects.requireNonNull(tls, "tls");
        steps = List.copyOf(steps);
        if (steps.size() != STATUSES.size()) {
            throw new IllegalArgumentException("one delay per status: " + STATUSES);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * Realistic pace: acknowledged after 200 ms, a unit dispatched 2 s later, on scene after 8 s,
     * closed after 15 s; four attempts per report, 250 ms backoff, 5 s per attempt.
     */
    public static LifecycleOptions of(URI callbackBase, IssuedCredential controlRoomClient, X509Certificate trustedServerCa)
            throws GeneralSecurityException {
        SSLContext tls = MutualTls.context(controlRoomClient.privateKey(),
                new X509Certificate[] {controlRoomClient.certificate(), controlRoomClient.issuer()}, trustedServerCa);
        return new LifecycleOptions(callbackBase, tls, List.of(Duration.ofMillis(200), Duration.ofSeconds(2),
                Duration.ofSeconds(8), Duration.ofSeconds(15)), 4, Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    public LifecycleOptions withSteps(Duration acknowledged, Duration unitDispatched, Duration onScene, Duration closed) {
        return new LifecycleOptions(callbackBase, tls, List.of(acknowledged, unitDispatched, onScene, closed),
                maxAttempts, retryBackoff, requestTimeout);
    }

    /** Every step delay multiplied by {@code factor} (0.01 turns 15 s into 150 ms for a demo or test). */
    public LifecycleOptions scaled(double factor) {
        return new LifecycleOptions(callbackBase, tls,
                steps.stream().map(d -> Duration.ofNanos((long) (d.toNanos() * factor))).toList(),
                maxAttempts, retryBackoff, requestTimeout);
    }

    public LifecycleOptions withRetries(int attempts, Duration backoff) {
        return new LifecycleOptions(callbackBase, tls, steps, attempts, backoff, requestTimeout);
    }

    URI statusUri(String alertId) {
        String root = callbackBase.toString().endsWith("/") ? callbackBase.toString() : callbackBase + "/";
        return URI.create(root + "police/v1/alerts/" + alertId + "/status");
    }
}
