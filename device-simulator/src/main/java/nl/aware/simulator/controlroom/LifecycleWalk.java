package nl.aware.simulator.controlroom;

import nl.aware.core.concurrent.Futures;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.dispatch.police.PoliceMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Walks each accepted alert through acknowledged → unit_dispatched → on_scene → closed, reporting
 * each step through our server's callback (JDK HttpClient, TLS 1.3, the control room's client
 * certificate). A step is sent only after the previous one settled, so reports arrive in order.
 * 503, a timeout or a connection failure is retried with doubling backoff; any other answer settles
 * the report, and a refused one (4xx) ends the walk for that alert.
 */
final class LifecycleWalk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LifecycleWalk.class);

    private final String room;
    private final LifecycleOptions options;
    private final ArrivalListener listener;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    /** Not copy-on-write: a benchmark adds thousands a second, and each add would copy them all. */
    private final List<CallbackOutcome> outcomes = new ArrayList<>(); // guarded by itself
    /**
     * A control room reports through a few connections, like a real client: without a bound, every report
     * in flight opens its own TLS connection, and under load the handshakes crowd out everything else.
     */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(4);

    LifecycleWalk(String room, LifecycleOptions options, ArrivalListener listener) {
        this.room = room;
        this.options = options;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, room + "-lifecycle");
            thread.setDaemon(true);
            return thread;
        });
        // Completions run on the client's selector thread: the handlers here only schedule the next step, and the
        // default pool's hand-offs cost a benchmark's machine a tenth of a core at 800 reports a second.
        this.client = HttpClient.newBuilder().executor(Runnable::run).sslContext(options.tls())
                .sslParameters(MutualTls.tls13Only()).connectTimeout(options.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Starts the walk for a newly accepted alert. Never blocks. */
    void begin(String alertId, String incidentRef) {
        schedule(() -> send(alertId, incidentRef, 0, 1), options.steps().get(0).toNanos());
    }

    List<CallbackOutcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }

    private void send(String alertId, String incidentRef, int step, int attempt) {
        if (!inFlight.tryAcquire()) {
            schedule(() -> send(alertId, incidentRef, step, attempt), TimeUnit.MILLISECONDS.toNanos(5));
            return;
        }
        String status = LifecycleOptions.STATUSES.get(step);
        byte[] body = PoliceMessages.json().createObjectNode().put("status", status).put("incidentRef", incidentRef)
                .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(options.statusUri(alertId)).timeout(options.requestTimeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inFlight.release();
            int code = failure == null ? response.statusCode() : 0;
            boolean retry = code == 503 || failure != null;
            if (retry && attempt < options.maxAttempts()) {
                long backoff = options.retryBackoff().toNanos() << (attempt - 1);
                schedule(() -> send(alertId, incidentRef, step, attempt + 1), backoff);
                return;
            }
            String error = failure != null ? describe(failure) : code == 204 ? "" : "HTTP " + code;
            CallbackOutcome outcome = new CallbackOutcome(room, alertId, incidentRef, status, code, attempt, error,
                    Instant.now());
            synchronized (outcomes) {
                outcomes.add(outcome);
            }
            listener.reported(outcome);
            if (code == 204) {
                if (step + 1 < LifecycleOptions.STATUSES.size()) {
                    schedule(() -> send(alertId, incidentRef, step + 1, 1), options.steps().get(step + 1).toNanos());
                }
            } else {
                log.warn("{}: status {} on alert {} not taken after {} attempt(s): {}; walk ends", room, status,
                        alertId, attempt, error);
            }
        });
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: lifecycle stopped, report not scheduled", room);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = Futures.cause(failure);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
