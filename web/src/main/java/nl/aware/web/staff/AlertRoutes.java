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
import nl.aware.records.report.FollowUpReport;
import nl.aware.records.report.ReportLanguage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(AlertRoutes.class);
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
                    .withCarrier(optional(request, "carrier", text -> StaffIds.uuid(text, "carrier"), null))
                    .withDevice(optional(request, "device", StaffIds::device, null))
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

    /**
     * {@code GET /staff/v1/alerts/{alertId}/recordings/{deviceId}/{stream}}: one recording of the alert to play,
     * {@code audio/ogg} (the carrier's voice: recorded in the trail before it is served, like every read here).
     */
    CompletableFuture<StaffResponse> recording(StaffRequest request) {
        UUID alertId = alertId(request);
        long deviceId = StaffIds.device(request.path("deviceId"));
        long stream;
        try {
            stream = Long.parseUnsignedLong(request.path("stream"));
        } catch (NumberFormatException e) {
            throw StaffApiException.badRequest("stream is the recording's stream id, a whole number of at most 20 digits");
        }
        byte[] file;
        try {
            file = records.recording(alertId, deviceId, stream);
        } catch (AlertHistoryReader.AlertNotFoundException e) {
            log.warn("alert {} not readable from the log: {}", alertId, e.getMessage());
            throw StaffApiException.notFound(notAnAlert(alertId));
        } catch (IOException e) {
            throw unreadable(alertId, e);
        }
        if (file == null) {
            throw StaffApiException.notFound("alert " + alertId + " has no recording of stream "
                    + Long.toUnsignedString(stream) + " from device " + nl.aware.core.pki.DeviceIds.format(deviceId));
        }
        return CompletableFuture.completedFuture(StaffResponse.bytes("audio/ogg", file));
    }

    /** {@code POST /staff/v1/alerts/{alertId}/evidence}: the evidence bundle, a zip file. */
    CompletableFuture<StaffResponse> evidence(StaffRequest request) {
        UUID alertId = alertId(request);
        try {
            return CompletableFuture.completedFuture(StaffResponse.bytes("application/zip",
                    records.evidence(alertId, clock.instant())));
        } catch (AlertRecords.EvidenceUnavailableException e) {
            log.warn("evidence of alert {} not exported: {}", alertId, e.getMessage());
            throw new StaffApiException(HttpResponseStatus.CONFLICT,
                    "no evidence bundle can be made for this alert (a test alarm, a purged location or a damaged "
                            + "log; the reason is in the server log)");
        } catch (IOException e) {
            throw unreadable(alertId, e);
        }
    }

    private AlertHistory history(UUID alertId) {
        try {
            return records.history(alertId);
        } catch (AlertHistoryReader.AlertNotFoundException e) {
            log.warn("alert {} not readable from the log: {}", alertId, e.getMessage());
            throw StaffApiException.notFound(notAnAlert(alertId));
        } catch (IOException e) {
            throw unreadable(alertId, e);
        }
    }

    /** The answer's sentence is fixed: the log's own message names files and stays in the server log. */
    private static StaffApiException unreadable(UUID alertId, IOException e) {
        log.error("alert {}: the event log cannot be read: {}", alertId, e.toString());
        return new StaffApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "the event log cannot be read now (the reason is in the server log); retry later");
    }

    /**
     * The id of an alert, or a 404: only the event id of the press that opened an alert is an alert id.
     * A repeated press, a location or any other event has an id of its own but is part of an alert, and
     * must never be served as one (its report would claim what happened to the alert it belongs to).
     */
    private UUID alertId(StaffRequest request) {
        UUID alertId = StaffIds.uuid(request.path("alertId"), "alertId");
        if (!index.mayBeAlert(alertId)) {
            throw StaffApiException.notFound(notAnAlert(alertId));
        }
        return alertId;
    }

    private static String notAnAlert(UUID alertId) {
        return "no alert " + alertId + ": an alert id is the event id of the press that opened the alert";
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
