package nl.aware.web.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.event.ReportChannel;
import nl.aware.core.event.VerificationOutcome;
import nl.aware.core.protocol.Location;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.Permission;
import nl.aware.core.state.CarrierRegistry;
import nl.aware.core.state.StaffDirectory;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.police.PoliceProfile;
import nl.aware.web.staff.Route;
import nl.aware.web.staff.StaffApiException;
import nl.aware.web.staff.StaffIds;
import nl.aware.web.staff.StaffAudit;
import nl.aware.web.staff.StaffRequest;
import nl.aware.web.staff.StaffResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static nl.aware.web.staff.Route.Audit.NOT_RECORDED;

/**
 * The control-room API under {@code /control/v1/} (docs/control-room.md): the queue, its live stream, one
 * alert, and the lifecycle actions. Every route needs {@link Permission#OPERATE_CONSOLE}; every alert is
 * checked against the operator's regions here, server-side: an alert of another region does not exist for
 * them (404). Runs on the staff API's worker threads.
 */
final class ControlRoomRoutes {
    static final String PREFIX = "/control/v1";
    static final int MAX_NOTE = 1000;

    /** The actions, their path word and the lifecycle step each records. */
    enum Action {
        ACKNOWLEDGE("acknowledge", AlertStatus.ACKNOWLEDGED),
        VERIFY("verify", AlertStatus.VERIFIED),
        DISPATCHED("dispatched", AlertStatus.UNIT_DISPATCHED),
        ON_SCENE("on-scene", AlertStatus.ON_SCENE),
        CLOSE("close", AlertStatus.CLOSED);

        final String path;
        final AlertStatus status;

        Action(String path, AlertStatus status) {
            this.path = path;
            this.status = status;
        }
    }

    private final AlertFeed feed;
    private final LiveStreams streams;
    private final ListeningSessions listening;
    private final LifecycleGate gate;
    private final StaffDirectory directory;
    private final CarrierRegistry carriers;
    private final StaffAudit audit;
    private final Clock clock;

    ControlRoomRoutes(AlertFeed feed, LiveStreams streams, ListeningSessions listening, LifecycleGate gate,
                      StaffDirectory directory, CarrierRegistry carriers, StaffAudit audit, Clock clock) {
        this.feed = feed;
        this.streams = streams;
        this.listening = listening;
        this.gate = gate;
        this.directory = directory;
        this.carriers = carriers;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        List<Route> routes = new java.util.ArrayList<>(List.of(
                Route.of(GET, PREFIX + "/queue", "control.queue", Permission.OPERATE_CONSOLE, NOT_RECORDED, this::queue),
                Route.of(GET, PREFIX + "/stream", "control.stream", Permission.OPERATE_CONSOLE, NOT_RECORDED,
                        this::stream),
                // personal data: recorded in the handler, after the region check, before it is served
                Route.of(GET, PREFIX + "/alerts/{alertId}", "control.alert.read", Permission.OPERATE_CONSOLE,
                        NOT_RECORDED, this::alert)));
        for (Action action : Action.values()) {
            // the lifecycle event itself names the operator: it is the record
            routes.add(Route.of(POST, PREFIX + "/alerts/{alertId}/" + action.path, "control.alert." + action.path,
                    Permission.OPERATE_CONSOLE, NOT_RECORDED, request -> act(request, action)));
        }
        // live listening: the start is filed in the trail and the session's start (44) and end (45) are on the
        // record, all written by the handlers after the region check
        routes.add(Route.of(POST, PREFIX + "/alerts/{alertId}/listen", "control.alert.listen",
                Permission.OPERATE_CONSOLE, NOT_RECORDED, this::listen));
        routes.add(Route.of(POST, PREFIX + "/alerts/{alertId}/listen/stop", "control.alert.listen.stop",
                Permission.OPERATE_CONSOLE, NOT_RECORDED, this::stopListening));
        routes.add(Route.of(GET, PREFIX + "/alerts/{alertId}/audio", "control.alert.audio",
                Permission.OPERATE_CONSOLE, NOT_RECORDED, this::audio));
        return routes;
    }

    private Set<Region> regions(StaffRequest request) {
        return directory.regionsOf(request.username());
    }

    /** {@code GET /control/v1/queue}: the open alerts of the operator's regions, queue order. */
    private CompletableFuture<StaffResponse> queue(StaffRequest request) {
        Set<Region> regions = regions(request);
        long sequence = feed.latestSequence();
        return CompletableFuture.completedFuture(StaffResponse.ok(QueueJson.queue(feed.queue(regions), sequence)));
    }

    /** {@code GET /control/v1/stream?after=N} (or {@code Last-Event-ID: N}): the live queue as Server-Sent Events. */
    private CompletableFuture<StaffResponse> stream(StaffRequest request) {
        long after = request.query("after").map(ControlRoomRoutes::sequence).orElse(-1L);
        Set<Region> regions = regions(request);
        if (regions.isEmpty()) {
            throw new StaffApiException(HttpResponseStatus.FORBIDDEN, "this operator account serves no region");
        }
        return CompletableFuture.completedFuture(StaffResponse.stream(channel ->
                streams.open(channel, request.session(), regions, after)));
    }

    private static long sequence(String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && Long.toString(value).equals(text)) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw StaffApiException.badRequest("after (or Last-Event-ID) must be a log sequence: a whole number, 0 or more");
    }

    /** {@code GET /control/v1/alerts/{alertId}}: police profile, track and timeline; the read recorded first. */
    private CompletableFuture<StaffResponse> alert(StaffRequest request) {
        UUID alertId = alertId(request);
        AlertFeed.Row row = ownRow(request, alertId);
        return audit.record(request.username(), request.source(), "control.alert.read", alertId.toString(),
                AccessOutcome.ALLOWED).thenApply(recorded -> StaffResponse.ok(detail(row)));
    }

    private ObjectNode detail(AlertFeed.Row row) {
        ObjectNode body = QueueJson.JSON.createObjectNode();
        body.set("alert", QueueJson.row(row));
        PoliceMessages.carrier(body, carriers.ofDevice(row.deviceId())
                .map(carrier -> PoliceProfile.of(carrier.profile())).orElse(null));
        long now = clock.millis();
        ArrayNode track = body.putArray("track");
        for (AlertFeed.TrackPoint point : feed.track(row.alertId())) {
            ObjectNode fix = track.addObject();
            fix.put("time", Instant.ofEpochMilli(point.receiveTimeMs()).toString());
            fix.put("latitude", point.latitude());
            fix.put("longitude", point.longitude());
            if (point.accuracyM() == Location.UNKNOWN_U16) {
                fix.putNull("accuracyM");
            } else {
                fix.put("accuracyM", point.accuracyM());
            }
            long fixAge = point.fixAgeS() == Location.UNKNOWN_U16 ? 0 : point.fixAgeS();
            fix.put("ageS", Math.max(0, (now - point.receiveTimeMs()) / 1000) + fixAge);
            fix.put("source", source(point.source()));
        }
        ArrayNode timeline = body.putArray("timeline");
        for (AlertFeed.Step step : feed.timeline(row.alertId())) {
            timeline.addObject().put("sequence", step.sequence())
                    .put("time", Instant.ofEpochMilli(step.timeMs()).toString())
                    .put("kind", step.kind()).put("detail", step.detail()).put("by", step.by());
        }
        return body;
    }

    private static String source(int source) {
        return switch (source) {
            case Location.SOURCE_GNSS -> "gnss";
            case Location.SOURCE_WIFI -> "wifi";
            case Location.SOURCE_CELL -> "cell";
            case Location.SOURCE_LAST_KNOWN -> "last_known";
            default -> "none";
        };
    }

    /** {@code POST /control/v1/alerts/{alertId}/<action>} {@code {"outcome", "note"}}: one lifecycle step. */
    private CompletableFuture<StaffResponse> act(StaffRequest request, Action action) {
        UUID alertId = alertId(request);
        ownRow(request, alertId);
        JsonNode body = request.body().length == 0 ? QueueJson.JSON.createObjectNode() : request.json();
        VerificationOutcome outcome = null;
        if (action == Action.VERIFY) {
            if (!body.path("outcome").isTextual()) {
                throw StaffApiException.badRequest("field \"outcome\" is missing: confirmed_by_listening, false_alarm, "
                        + "no_contact or not_possible");
            }
            try {
                outcome = VerificationOutcome.parse(body.get("outcome").asText());
            } catch (IllegalArgumentException e) {
                throw StaffApiException.badRequest(e.getMessage());
            }
        } else if (body.has("outcome")) {
            throw StaffApiException.badRequest("only verify takes an outcome");
        }
        JsonNode noteField = body.get("note");
        if (noteField != null && !noteField.isTextual()) {
            throw StaffApiException.badRequest("field \"note\" must be a string");
        }
        String note = noteField == null ? "" : noteField.asText().strip();
        if (note.length() > MAX_NOTE) {
            throw StaffApiException.badRequest("note longer than " + MAX_NOTE + " characters");
        }
        Event.AlertStatusReported step = new Event.AlertStatusReported(alertId, action.status, "", request.username(),
                ReportChannel.CONSOLE, outcome, note);
        return gate.report(step).thenApply(result -> answer(alertId, result));
    }

    private StaffResponse answer(UUID alertId, LifecycleGate.Outcome result) {
        if (result instanceof LifecycleGate.Outcome.Recorded) {
            return StaffResponse.ok(QueueJson.row(feed.row(alertId).orElseThrow()));
        }
        if (result instanceof LifecycleGate.Outcome.Already already) {
            return conflict("alert is already " + already.current().label(), already.current());
        }
        if (result instanceof LifecycleGate.Outcome.Refused refused) {
            return conflict(refused.reason(), refused.current());
        }
        if (result instanceof LifecycleGate.Outcome.UnknownAlert) {
            throw StaffApiException.notFound("no alert " + alertId);
        }
        return StaffResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "not recorded (the log is busy); retry");
    }

    private static StaffResponse conflict(String message, AlertStatus current) {
        ObjectNode body = QueueJson.JSON.createObjectNode().put("error", message).put("currentState", current.label());
        return StaffResponse.json(HttpResponseStatus.CONFLICT, body);
    }

    /**
     * {@code POST /control/v1/alerts/{alertId}/listen}: starts listening to the alert's device. The session is on
     * the record ({@link Event.ListeningStarted}, durable) before anything is sent to the device or the page; then
     * it joins the stream the device is sending after its press, or sends LISTEN. Answers at once with the
     * session's state ({@code connecting} until the device answers; the rest comes on the audio stream).
     */
    private CompletableFuture<StaffResponse> listen(StaffRequest request) {
        UUID alertId = alertId(request);
        AlertFeed.Row row = ownRow(request, alertId);
        if (!row.open()) {
            throw new StaffApiException(HttpResponseStatus.CONFLICT, "alert " + alertId + " is closed: nothing to listen to");
        }
        var existing = listening.of(request.session(), alertId);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(StaffResponse.ok(listeningJson(existing.get())));
        }
        var running = listening.runningStream(alertId, row.deviceId());
        ListeningSessions.Session session = new ListeningSessions.Session(UUID.randomUUID(), alertId, row.deviceId(),
                request.session(), running.isPresent(), clock.millis());
        // in the access trail like every read of an alert (after the region check, before any sound), and the
        // session itself on the record (44) with how it ends (45)
        return audit.record(request.username(), request.source(), "control.alert.listen", alertId.toString(),
                AccessOutcome.ALLOWED).thenCompose(filed -> audit.record(new Event.ListeningStarted(session.id,
                alertId, row.deviceId(), request.username(), running.isPresent(), session.startedMs))).thenApply(recorded -> {
                    if (!listening.start(session, running)) {
                        return StaffResponse.ok(listeningJson(listening.of(request.session(), alertId).orElse(session)));
                    }
                    return StaffResponse.ok(listeningJson(session));
                });
    }

    private static ObjectNode listeningJson(ListeningSessions.Session session) {
        return QueueJson.JSON.createObjectNode().put("listeningId", session.id.toString())
                .put("alertId", session.alertId.toString()).put("state", session.state)
                .put("source", session.joined ? "joined" : "listen")
                .put("startedAt", Instant.ofEpochMilli(session.startedMs).toString())
                .put("audio", PREFIX + "/alerts/" + session.alertId + "/audio");
    }

    /** {@code POST /control/v1/alerts/{alertId}/listen/stop}: ends this operator's listening; its end recorded. */
    private CompletableFuture<StaffResponse> stopListening(StaffRequest request) {
        UUID alertId = alertId(request);
        ownRow(request, alertId);
        ListeningSessions.Session session = listening.of(request.session(), alertId).orElseThrow(() ->
                new StaffApiException(HttpResponseStatus.CONFLICT, "you are not listening to alert " + alertId));
        return listening.stop(session).thenApply(stopped -> StaffResponse.ok(listeningJson(session)));
    }

    /**
     * {@code GET /control/v1/alerts/{alertId}/audio}: this operator's listening session as Server-Sent Events:
     * {@code state} (connecting, listening, then how it ended), {@code audio} (each AUDIO frame: stream, seq,
     * codec, durationMs, last, and the Opus packets base64) and {@code heartbeat} every 2 s. Closing it ends the
     * session.
     */
    private CompletableFuture<StaffResponse> audio(StaffRequest request) {
        UUID alertId = alertId(request);
        ownRow(request, alertId);
        ListeningSessions.Session session = listening.ofForStream(request.session(), alertId).orElseThrow(() ->
                new StaffApiException(HttpResponseStatus.CONFLICT, "you are not listening to alert " + alertId
                        + ": start with POST " + PREFIX + "/alerts/" + alertId + "/listen"));
        return CompletableFuture.completedFuture(StaffResponse.stream(channel -> listening.attach(session, channel)));
    }

    /** The alert, if it is of one of the operator's regions; otherwise, for them, it does not exist. */
    private AlertFeed.Row ownRow(StaffRequest request, UUID alertId) {
        return feed.row(alertId).filter(row -> regions(request).contains(row.region()))
                .orElseThrow(() -> StaffApiException.notFound("no alert " + alertId + " in your regions"));
    }

    /** The path's alert id, already canonical ({@link StaffIds}: the one place an id a caller typed is read). */
    private static UUID alertId(StaffRequest request) {
        return StaffIds.uuid(request.path("alertId"), "alertId");
    }
}
