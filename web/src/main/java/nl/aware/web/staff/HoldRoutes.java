package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.event.Event;
import nl.aware.records.history.AlertIndex;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Legal holds, live (what {@code aware retention hold|release} does on a stopped server): one event each,
 * naming who decided and why. The alert index (a projection of the log) knows the alerts, their holds
 * and purged months, so no read of the log is needed. One change per alert at a time: a second one
 * while the first is not yet durable is refused (409, retry), never decided on a stale index.
 */
final class HoldRoutes {
    static final int MAX_REASON = 200;

    private final AlertIndex index;
    private final StaffAudit audit;
    private final java.util.Set<UUID> changing = new java.util.HashSet<>();

    HoldRoutes(AlertIndex index, StaffAudit audit) {
        this.index = index;
        this.audit = audit;
    }

    /** {@code POST /staff/v1/alerts/{alertId}/hold} {@code {"reason"}}: 204; 404 no such alert; 409 held or purged. */
    synchronized CompletableFuture<StaffResponse> hold(StaffRequest request) {
        UUID alertId = alertId(request);
        String reason = reason(request.json());
        if (index.find(alertId).isEmpty()) {
            throw StaffApiException.notFound("no alert " + alertId + " (an alert id is the event id of the PANIC that "
                    + "opened it)");
        }
        Optional<String> heldBy = index.heldBy(alertId);
        if (heldBy.isPresent()) {
            throw new StaffApiException(HttpResponseStatus.CONFLICT, "alert " + alertId
                    + " is already under legal hold (placed by " + heldBy.get() + ")");
        }
        if (index.locationsPurged(alertId)) {
            throw new StaffApiException(HttpResponseStatus.CONFLICT, "alert " + alertId
                    + ": its locations were purged under the retention policy; there is nothing left to hold");
        }
        return record(alertId, new Event.LegalHoldPlaced(alertId, request.username(), reason));
    }

    /** {@code POST /staff/v1/alerts/{alertId}/release} {@code {"reason"}}: 204; 409 when not under hold. */
    synchronized CompletableFuture<StaffResponse> release(StaffRequest request) {
        UUID alertId = alertId(request);
        String reason = reason(request.json());
        if (index.heldBy(alertId).isEmpty()) {
            throw new StaffApiException(HttpResponseStatus.CONFLICT, "alert " + alertId + " is not under legal hold");
        }
        return record(alertId, new Event.LegalHoldReleased(alertId, request.username(), reason));
    }

    /** Durable and applied to the index before the answer; the alert is free for the next change only then. */
    private CompletableFuture<StaffResponse> record(UUID alertId, Event event) {
        if (!changing.add(alertId)) {
            throw new StaffApiException(HttpResponseStatus.CONFLICT, "alert " + alertId
                    + " is being changed by another request; retry");
        }
        return audit.record(event).handle((done, failure) -> {
            synchronized (this) {
                changing.remove(alertId);
            }
            if (failure != null) {
                throw new StaffApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "the event log did not take the change; retry");
            }
            return StaffResponse.noContent();
        });
    }

    private static String reason(ObjectNode body) {
        String reason = StaffRequest.text(body, "reason").strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            throw StaffApiException.badRequest("field \"reason\": 1 to " + MAX_REASON
                    + " characters, e.g. the case number; no personal data");
        }
        return reason;
    }

    private static UUID alertId(StaffRequest request) {
        String text = request.path("alertId");
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equals(text)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw StaffApiException.badRequest("an alert id is a UUID in lower case");
    }
}
