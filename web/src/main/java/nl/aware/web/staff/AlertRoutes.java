package nl.aware.web.staff;

import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.event.Region;
import nl.aware.records.history.AlertFilter;
import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertHistoryReader;
import nl.aware.records.history.AlertIndex;
import nl.aware.records.history.AlertState;
import nl.aware.records.history.AlertType;
import nl.aware.records.history.HistoryJson;
import nl.aware.core.pki.DeviceIds;
import nl.aware.records.report.FollowUpReport;
import nl.aware.records.report.ReportLanguage;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Alerts for Kadera staff: the filtered list (from the live index), one alert's full timeline, its
 * follow-up report and its evidence bundle. All of it is personal data (locations, the carrier), so the
 * route table records every call before it is served. Timelines, reports and bundles read the log.
 */
final class AlertRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AlertIndex index;
    private final AlertRecords records;
    private final Clock clock;

    AlertRoutes(AlertIndex index, AlertRecords records, Clock clock) {
        this.index = index;
        this.records = records;
        this.clock = clock;
    }

    /**
     * {@code GET /staff/v1/alerts?carrier=&device=&region=&from=&to=&type=real|test&state=&closed=&limit=},
     * newest first.
     */
    CompletableFuture<StaffResponse> list(StaffRequest request) {
        AlertFilter filter = AlertFilter.ALL;
        try {
            filter = filter
                    .withCarrier(optional(request, "carrier", UUID::fromString, "a carrier id is a UUID"))
                    .withDevice(optional(request, "device", DeviceIds::parse, "a device id is 16 hex digits"))
                    .withRegion(optional(request, "region", Region::parse, "region is ijsselland or twente"))
                    .withType(optional(request, "type", AlertRoutes::type, "type is real or test"))
                    .withState(optional(request, "state", AlertState::parse, null))
                    .withClosed(optional(request, "closed", AlertRoutes::bool, "closed is true or false"))
                    .withTimeRange(optional(request, "from", Instant::parse, "from is an ISO-8601 instant"),
                            optional(request, "to", Instant::parse, "to is an ISO-8601 instant"));
        } catch (IllegalArgumentException e) {
            throw StaffApiException.badRequest(e.getMessage());
        }
        Integer given = optional(request, "limit", Integer::valueOf, "limit is a whole number");
        int limit = given == null ? DEFAULT_LIMIT : given;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw StaffApiException.badRequest("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return CompletableFuture.completedFuture(StaffResponse.ok(HistoryJson.list(index.list(filter, limit))));
    }

    /**
     * {@code GET /staff/v1/changes}: {@code {"alerts": n}}, the log sequence of the last change to any
     * alert. No personal data, so not recorded: a console polls it each second and reads the (recorded)
     * list only when the number moves.
     */
    CompletableFuture<StaffResponse> changes(StaffRequest request) {
        return CompletableFuture.completedFuture(StaffResponse.ok(
                StaffResponse.mapper().createObjectNode().put("alerts", index.lastChange())));
    }

    /** {@code GET /staff/v1/alerts/{alertId}}: the full timeline with the track and the verification status. */
    CompletableFuture<StaffResponse> timeline(StaffRequest request) {
        return CompletableFuture.completedFuture(StaffResponse.ok(HistoryJson.history(history(alertId(request)))));
    }

    /** {@code GET /staff/v1/alerts/{alertId}/report?lang=nl|en&format=html|pdf} (default: nl, html). */
    CompletableFuture<StaffResponse> report(StaffRequest request) {
        ReportLanguage language;
        FollowUpReport.Format format;
        try {
            language = ReportLanguage.parse(request.query("lang").orElse("nl"));
            format = FollowUpReport.Format.parse(request.query("format").orElse("html"));
        } catch (IllegalArgumentException e) {
            throw StaffApiException.badRequest(e.getMessage());
        }
        AlertHistory history = history(alertId(request));
        byte[] body = FollowUpReport.render(history, language, format, clock.instant());
        return CompletableFuture.completedFuture(StaffResponse.bytes(format.mediaType(), body));
    }

    /** {@code POST /staff/v1/alerts/{alertId}/evidence}: the evidence bundle, a zip file. */
    CompletableFuture<StaffResponse> evidence(StaffRequest request) {
        UUID alertId = alertId(request);
        try {
            return CompletableFuture.completedFuture(StaffResponse.bytes("application/zip",
                    records.evidence(alertId, clock.instant())));
        } catch (AlertRecords.EvidenceUnavailableException e) {
            throw new StaffApiException(HttpResponseStatus.CONFLICT, e.getMessage());
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private AlertHistory history(UUID alertId) {
        try {
            return records.history(alertId);
        } catch (AlertHistoryReader.AlertNotFoundException e) {
            throw StaffApiException.notFound(e.getMessage());
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static StaffApiException unreadable(IOException e) {
        return new StaffApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "the event log cannot be read: " + e.getMessage());
    }

    private static UUID alertId(StaffRequest request) {
        try {
            return UUID.fromString(request.path("alertId"));
        } catch (IllegalArgumentException e) {
            throw StaffApiException.badRequest("an alert id is a UUID (the event id of the press)");
        }
    }

    private static <T> T optional(StaffRequest request, String name, Function<String, T> parse, String expected) {
        Optional<String> text = request.query(name);
        if (text.isEmpty() || text.get().isBlank()) {
            return null;
        }
        try {
            return parse.apply(text.get().trim());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw StaffApiException.badRequest(expected != null ? expected + ", was '" + text.get() + "'" : e.getMessage());
        }
    }

    private static AlertType type(String text) {
        return AlertType.valueOf(text.toUpperCase(Locale.ROOT));
    }

    private static Boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(text);
        };
    }
}
