package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import nl.aware.core.state.StaffDirectory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The access trail for auditors: who did what to which record, allowed or refused, newest first. */
final class TrailRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final StaffDirectory directory;

    TrailRoutes(StaffDirectory directory) {
        this.directory = directory;
    }

    /**
     * {@code GET /staff/v1/audit/access} with optional {@code user}, {@code subject}, {@code action},
     * {@code outcome} (allowed/denied), {@code from} and {@code to} (ISO-8601 instants, from inclusive,
     * to exclusive), {@code limit} (1..1000, default 100).
     */
    CompletableFuture<StaffResponse> list(StaffRequest request) {
        Predicate<StaffDirectory.TrailEntry> filter = e -> true;
        Optional<String> user = request.query("user");
        if (user.isPresent()) {
            filter = filter.and(e -> e.username().equals(user.get()));
        }
        // Subjects are filed in canonical (lower-case) form: an id typed in upper case still finds them.
        Optional<String> subject = request.query("subject").map(s -> s.toLowerCase(java.util.Locale.ROOT));
        if (subject.isPresent()) {
            filter = filter.and(e -> e.subject().equals(subject.get()));
        }
        Optional<String> action = request.query("action");
        if (action.isPresent()) {
            filter = filter.and(e -> e.action().equals(action.get()));
        }
        Optional<String> outcome = request.query("outcome");
        if (outcome.isPresent()) {
            boolean allowed = switch (outcome.get()) {
                case "allowed" -> true;
                case "denied" -> false;
                default -> throw StaffApiException.badRequest("outcome is 'allowed' or 'denied'");
            };
            filter = filter.and(e -> e.outcome().allowed() == allowed);
        }
        long from = instant(request, "from").orElse(Long.MIN_VALUE);
        long to = instant(request, "to").orElse(Long.MAX_VALUE);
        filter = filter.and(e -> e.atMs() >= from && e.atMs() < to);
        int limit = request.query("limit").map(TrailRoutes::limit).orElse(DEFAULT_LIMIT);
        ArrayNode entries = StaffResponse.mapper().createArrayNode();
        for (StaffDirectory.TrailEntry e : directory.trail(filter, limit)) {
            entries.addObject().put("sequence", e.sequence()).put("at", Instant.ofEpochMilli(e.atMs()).toString())
                    .put("user", e.username()).put("source", e.source()).put("action", e.action())
                    .put("subject", e.subject()).put("outcome", e.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .put("allowed", e.outcome().allowed());
        }
        return CompletableFuture.completedFuture(StaffResponse.ok(
                StaffResponse.mapper().createObjectNode().set("entries", entries)));
    }

    private static Optional<Long> instant(StaffRequest request, String name) {
        try {
            return request.query(name).map(text -> Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw StaffApiException.badRequest(name + " is an ISO-8601 instant, e.g. 2026-11-25T14:00:00Z");
        }
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw StaffApiException.badRequest("limit is a number from 1 to " + MAX_LIMIT);
    }
}
