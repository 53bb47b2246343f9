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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A police control room as our server sees it (docs/police-api.md): {@code POST /alerts} and
 * {@code POST /alerts/{alertId}/updates} over HTTPS with mutual TLS 1.3, idempotent on the
 * Idempotency-Key. It keeps what it received for tests, counts idempotent replays (expected after
 * timeouts and restarts), and reports every DUPLICATE loudly: one press arriving as two alerts, or
 * one key arriving with two different bodies. With {@link LifecycleOptions} it also reports each new
 * non-test alert's lifecycle back through our callback.
 */
public final class SimulatedControlRoom extends SimulatedReceiver {
    private static final Logger log = LoggerFactory.getLogger(SimulatedControlRoom.class);
    private static final Pattern UPDATES = Pattern.compile("/alerts/([^/]+)/updates");
    private static final Set<String> UPDATE_KINDS = Set.of("location", "repeated_press", "cancel", "lifecycle");
    /** openapi.yaml's {@code format: date-time} (RFC 3339): a four-digit year, UTC or an offset. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    /** Null when the press's times are valid date-times, else what is wrong (a receiver answers 400). */
    static String invalidTimes(JsonNode press) {
        for (String field : new String[] {"deviceTime", "receiveTime"}) {
            if (!DATE_TIME.matcher(press.path(field).asText("")).matches()) {
                return "press." + field + " must be an RFC 3339 date-time";
            }
        }
        return null;
    }

    private final String prefix;
    private final ArrivalListener listener;
    private final LifecycleWalk walk;
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    // guarded by this; written on the route thread, read by tests
    private final Map<String, ReceivedAlert> alerts = new LinkedHashMap<>();
    private final Map<String, String> alertByPress = new HashMap<>();
    private final Map<String, List<KeptJson>> updatesByAlert = new HashMap<>();
    private final IdempotentStore updates = new IdempotentStore();
    private long nextIncident = 1;

    /** A control room that only receives. */
    public SimulatedControlRoom(ReceiverOptions options, IssuedCredential serverCredential,
                                X509Certificate trustedClientCa) throws SSLException {
        this(options, serverCredential, trustedClientCa, null, ArrivalListener.NONE);
    }

    /**
     * @param lifecycle null for no status reports
     * @param listener  told of every arrival and report (e.g. a {@link ControlRoomView})
     */
    public SimulatedControlRoom(ReceiverOptions options, IssuedCredential serverCredential,
                                X509Certificate trustedClientCa, LifecycleOptions lifecycle,
                                ArrivalListener listener) throws SSLException {
        super(options, serverCredential, trustedClientCa);
        this.prefix = options.incidentPrefix();
        this.listener = listener;
        this.walk = lifecycle == null ? null : new LifecycleWalk(options.name(), lifecycle, listener);
    }

    @Override
    Route.Reply route(Route.Request request) {
        if (!"POST".equals(request.method())) {
            return Route.Reply.error(405, "use POST");
        }
        if ("/alerts".equals(request.path())) {
            return alert(request);
        }
        Matcher updates = UPDATES.matcher(request.path());
        if (updates.matches()) {
            return update(updates.group(1), request);
        }
        return Route.Reply.error(404, "no such resource");
    }

    private Route.Reply alert(Route.Request request) {
        JsonNode body;
        try {
            body = parse(request.body());
        } catch (IOException e) {
            return Route.Reply.error(400, "body is not JSON");
        }
        String alertId = body.path("alertId").asText("");
        JsonNode press = body.path("press");
        if (alertId.isEmpty() || !press.path("deviceId").isTextual() || !press.path("counter").isTextual()
                || !body.path("region").isTextual()) {
            return Route.Reply.error(400, "alertId, region, press.deviceId and press.counter are required");
        }
        if (!alertId.equals(request.idempotencyKey())) {
            return Route.Reply.error(400, "Idempotency-Key must equal alertId");
        }
        String badTime = invalidTimes(press);
        if (badTime != null) {
            return Route.Reply.error(400, badTime);
        }
        String pressKey = press.get("deviceId").asText() + "#" + press.get("counter").asText();
        Instant now = Instant.now();
        Arrival arrival;
        Route.Reply reply;
        boolean walkIt = false;
        synchronized (this) {
            ReceivedAlert existing = alerts.get(alertId);
            if (existing != null) {
                reply = incident(200, existing.incidentRef());
                if (existing.sameBody(body)) {
                    replays.incrementAndGet();
                    arrival = arrival(Arrival.Kind.REPLAY, existing, "", body, now);
                } else {
                    duplicates.incrementAndGet();
                    log.error("DUPLICATE at {}: alert {} arrived again with a different body; incident {} stands",
                            name(), alertId, existing.incidentRef());
                    arrival = arrival(Arrival.Kind.DUPLICATE, existing, "same alertId, different body", body, now);
                }
            } else {
                ReceivedAlert created = new ReceivedAlert(alertId, body, request.body(),
                        prefix + "-" + nextIncident++, now);
                alerts.put(alertId, created);
                String earlier = alertByPress.putIfAbsent(pressKey, alertId);
                reply = incident(201, created.incidentRef());
                if (earlier != null) {
                    duplicates.incrementAndGet();
                    log.error("DUPLICATE at {}: press {} of device {} arrived as alert {} after alert {} ({}); "
                                    + "a second incident {} was opened", name(), press.get("counter").asText(),
                            press.get("deviceId").asText(), alertId, earlier, alerts.get(earlier).incidentRef(),
                            created.incidentRef());
                    arrival = arrival(Arrival.Kind.DUPLICATE, created, "press already arrived as alert " + earlier,
                            body, now);
                } else {
                    arrival = arrival(created.test() ? Arrival.Kind.TEST : Arrival.Kind.ALERT, created, "", body, now);
                    walkIt = !created.test();
                }
                notifyAll();
            }
        }
        listener.arrived(arrival);
        if (walkIt && walk != null) {
            walk.begin(alertId, arrival.incidentRef());
        }
        return reply;
    }

    private Route.Reply update(String alertId, Route.Request request) {
        JsonNode body;
        try {
            body = parse(request.body());
        } catch (IOException e) {
            return Route.Reply.error(400, "body is not JSON");
        }
        String updateId = body.path("updateId").asText("");
        if (updateId.isEmpty() || !updateId.equals(request.idempotencyKey())) {
            return Route.Reply.error(400, "updateId is required and the Idempotency-Key must equal it");
        }
        if (!alertId.equals(body.path("alertId").asText(""))) {
            return Route.Reply.error(400, "alertId in the body must match the path");
        }
        String kind = body.path("kind").asText("");
        if (!UPDATE_KINDS.contains(kind)) {
            return Route.Reply.error(400, "kind must be one of " + UPDATE_KINDS);
        }
        // A lifecycle update is an operator's step in the console, not a device message: it has no press.
        String badTime = kind.equals("lifecycle") ? null : invalidTimes(body.path("press"));
        if (badTime != null) {
            return Route.Reply.error(400, badTime);
        }
        Instant now = Instant.now();
        Arrival arrival;
        Route.Reply reply;
        synchronized (this) {
            ReceivedAlert alert = alerts.get(alertId);
            if (alert == null) {
                return Route.Reply.error(404, "unknown alert " + alertId);
            }
            switch (updates.put(updateId, body, request.body(), now)) {
                case NEW -> {
                    updatesByAlert.computeIfAbsent(alertId, id -> new ArrayList<>()).add(new KeptJson(request.body()));
                    reply = Route.Reply.empty(201);
                    arrival = arrival(Arrival.Kind.UPDATE, alert, kind, body, now);
                }
                case REPLAY -> {
                    replays.incrementAndGet();
                    reply = Route.Reply.empty(200);
                    arrival = arrival(Arrival.Kind.REPLAY, alert, kind, body, now);
                }
                default -> {
                    duplicates.incrementAndGet();
                    log.error("DUPLICATE at {}: update {} on alert {} arrived again with a different body",
                            name(), updateId, alertId);
                    reply = Route.Reply.empty(200);
                    arrival = arrival(Arrival.Kind.DUPLICATE, alert, "same updateId, different body", body, now);
                }
            }
        }
        listener.arrived(arrival);
        return reply;
    }

    private Arrival arrival(Arrival.Kind kind, ReceivedAlert alert, String detail, JsonNode body, Instant now) {
        return new Arrival(name(), kind, alert.region(), alert.alertId(), alert.incidentRef(), detail, body, now);
    }

    private static Route.Reply incident(int status, String incidentRef) {
        return Route.Reply.of(status, PoliceMessages.json().createObjectNode().put("incidentRef", incidentRef));
    }

    private static JsonNode parse(byte[] body) throws IOException {
        JsonNode node = PoliceMessages.json().readTree(body);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return node;
    }

    /** Alerts accepted, by alertId, in arrival order (a snapshot). */
    public synchronized Map<String, ReceivedAlert> alerts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(alerts));
    }

    public synchronized int alertCount() {
        return alerts.size();
    }

    /** Requests that repeated an Idempotency-Key with the same body (alerts and updates): expected, harmless. */
    public long replays() {
        return replays.get();
    }

    /** One press as two alerts, or one key with two bodies. Must stay 0. */
    public long duplicates() {
        return duplicates.get();
    }

    /** The updates accepted for an alert, in arrival order. */
    public synchronized List<JsonNode> updates(String alertId) {
        return updatesByAlert.getOrDefault(alertId, List.of()).stream().map(KeptJson::tree).toList();
    }

    /** Waits until at least {@code count} alerts were accepted; false on timeout. */
    public synchronized boolean awaitAlerts(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alerts.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The lifecycle reports settled so far (empty without lifecycle options). */
    public List<CallbackOutcome> callbacks() {
        return walk == null ? List.of() : walk.outcomes();
    }

    @Override
    public void close() {
        if (walk != null) {
            walk.close();
        }
        super.close();
    }
}
