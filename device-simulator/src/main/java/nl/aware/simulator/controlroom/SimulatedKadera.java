package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.PoliceMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kadera's receiver as our server sees it: {@code POST /escalations} (Idempotency-Key = alertId; the
 * on-call worker is paged) and {@code POST /notices} (Idempotency-Key = noticeId; device status for
 * staff). 201 for a new key, 200 for a repeated one.
 */
public final class SimulatedKadera extends SimulatedReceiver {
    private static final Logger log = LoggerFactory.getLogger(SimulatedKadera.class);

    private final ArrivalListener listener;
    private final IdempotentStore escalations = new IdempotentStore();
    private final IdempotentStore notices = new IdempotentStore();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    public SimulatedKadera(ReceiverOptions options, IssuedCredential serverCredential, X509Certificate trustedClientCa)
            throws SSLException {
        this(options, serverCredential, trustedClientCa, ArrivalListener.NONE);
    }

    public SimulatedKadera(ReceiverOptions options, IssuedCredential serverCredential, X509Certificate trustedClientCa,
                           ArrivalListener listener) throws SSLException {
        super(options, serverCredential, trustedClientCa);
        this.listener = listener;
    }

    @Override
    Route.Reply route(Route.Request request) {
        if (!"POST".equals(request.method())) {
            return Route.Reply.error(405, "use POST");
        }
        return switch (request.path()) {
            case "/escalations" -> accept(request, escalations, "alertId", Arrival.Kind.ESCALATION);
            case "/notices" -> accept(request, notices, "noticeId", Arrival.Kind.NOTICE);
            default -> Route.Reply.error(404, "no such resource");
        };
    }

    private Route.Reply accept(Route.Request request, IdempotentStore store, String keyField, Arrival.Kind kind) {
        JsonNode body;
        try {
            body = PoliceMessages.json().readTree(request.body());
        } catch (IOException e) {
            return Route.Reply.error(400, "body is not JSON");
        }
        String key = body == null ? "" : body.path(keyField).asText("");
        if (key.isEmpty() || !key.equals(request.idempotencyKey())) {
            return Route.Reply.error(400, keyField + " is required and the Idempotency-Key must equal it");
        }
        if (kind == Arrival.Kind.ESCALATION) {
            String badTime = SimulatedControlRoom.invalidTimes(body.path("alert").path("press"));
            if (badTime != null) {
                return Route.Reply.error(400, "alert." + badTime);
            }
        }
        Instant now = Instant.now();
        IdempotentStore.Outcome outcome;
        synchronized (this) {
            outcome = store.put(key, body, request.body(), now);
            if (outcome == IdempotentStore.Outcome.NEW) {
                notifyAll();
            }
        }
        Arrival.Kind shown = kind;
        String detail = kind == Arrival.Kind.ESCALATION ? body.path("reason").asText("") : body.path("kind").asText("");
        switch (outcome) {
            case REPLAY -> {
                replays.incrementAndGet();
                shown = Arrival.Kind.REPLAY;
            }
            case CONFLICT -> {
                duplicates.incrementAndGet();
                log.error("DUPLICATE at {}: {} {} arrived again with a different body", name(), keyField, key);
                shown = Arrival.Kind.DUPLICATE;
                detail = "same " + keyField + ", different body";
            }
            default -> {
            }
        }
        JsonNode alert = kind == Arrival.Kind.ESCALATION ? body.path("alert") : body;
        listener.arrived(new Arrival(name(), shown, alert.path("region").asText(""), key, "", detail, alert, now));
        return outcome == IdempotentStore.Outcome.NEW ? Route.Reply.empty(201) : Route.Reply.empty(200);
    }

    /** Escalations received, by alertId, in arrival order (a snapshot). */
    public Map<String, Received> escalations() {
        return escalations.snapshot();
    }

    /** Notices received, by noticeId, in arrival order (a snapshot). */
    public Map<String, Received> notices() {
        return notices.snapshot();
    }

    public long replays() {
        return replays.get();
    }

    /** A key repeated with another body. Must stay 0. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Waits until at least {@code count} escalations arrived; false on timeout. */
    public synchronized boolean awaitEscalations(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (escalations.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
