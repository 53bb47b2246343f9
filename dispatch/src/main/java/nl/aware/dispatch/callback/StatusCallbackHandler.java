package nl.aware.dispatch.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.http.HttpAnswer;
import nl.aware.http.HttpExchange;
import nl.aware.http.HttpService;
import nl.aware.http.StrictUuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /police/v1/alerts/{alertId}/status} with {@code {"status": ..., "incidentRef": ...}}.
 * Answers 204 only once the report is durable in the log (late acknowledgement, as for devices).
 * Only the control room named for the alert's region may report on it. Runs on the callback server's
 * event loop and must never block there; the answer after the record is written from the loop too, never
 * the log's writer thread.
 */
final class StatusCallbackHandler implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(StatusCallbackHandler.class);
    private static final String STATUS = "/status";
    static final int MAX_INCIDENT_REF = 128;

    private final Map<Region, String> reporters;
    private final DispatchProjection projection;
    private final LifecycleGate gate;

    StatusCallbackHandler(Map<Region, String> reporters, DispatchProjection projection, LifecycleGate gate) {
        this.reporters = reporters;
        this.projection = projection;
        this.gate = gate;
    }

    @Override
    public void serve(HttpExchange exchange) {
        String path = exchange.path();
        if (!path.startsWith(CallbackServer.PATH_PREFIX) || !path.endsWith(STATUS)) {
            exchange.respond(HttpAnswer.error(HttpResponseStatus.NOT_FOUND, "no such resource"));
            return;
        }
        if (!HttpMethod.POST.equals(exchange.method())) {
            exchange.respond(HttpAnswer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST").withHeader("Allow", "POST"));
            return;
        }
        Optional<UUID> parsed = path.length() < CallbackServer.PATH_PREFIX.length() + STATUS.length() ? Optional.empty()
                : StrictUuid.parse(path.substring(CallbackServer.PATH_PREFIX.length(), path.length() - STATUS.length()));
        if (parsed.isEmpty()) {
            exchange.respond(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST,
                    "the alert id in the path is a UUID of 36 characters (the id the alert was sent with)"));
            return;
        }
        UUID alertId = parsed.get();
        Report report;
        try {
            report = Report.read(exchange.body());
        } catch (IllegalArgumentException e) {
            exchange.respond(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
            return;
        }
        Optional<DispatchProjection.AlertView> alert = projection.alert(alertId);
        if (alert.isEmpty()) {
            exchange.respond(HttpAnswer.error(HttpResponseStatus.NOT_FOUND, "unknown alert " + alertId));
            return;
        }
        String reporter = reporterName(exchange);
        if (!reporter.equals(reporters.get(alert.get().region()))) {
            log.warn("status report on alert {} refused: client '{}' does not serve region {}", alertId, reporter,
                    alert.get().region().label());
            exchange.respond(HttpAnswer.error(HttpResponseStatus.FORBIDDEN, "this client does not serve the alert's region"));
            return;
        }
        gate.report(new Event.AlertStatusReported(alertId, report.status(), report.incidentRef(), reporter))
                .whenCompleteAsync((outcome, failure) -> {
                    if (outcome instanceof LifecycleGate.Outcome.Recorded) {
                        // Each step is in the log and on the consoles; the operational log keeps the alert's end
                        // (and RegionDispatcher its acceptance): the four steps were 78 % of its lines under load.
                        if (report.status() == AlertStatus.CLOSED) {
                            log.info("alert {} closed (reported by {})", alertId, reporter);
                        } else {
                            log.debug("alert {} {} (reported by {})", alertId, report.status().label(), reporter);
                        }
                        exchange.respond(HttpAnswer.empty(HttpResponseStatus.NO_CONTENT));
                    } else if (outcome instanceof LifecycleGate.Outcome.Already) {
                        exchange.respond(HttpAnswer.empty(HttpResponseStatus.NO_CONTENT)); // a repeat changes nothing
                    } else if (outcome instanceof LifecycleGate.Outcome.Refused refused) {
                        // The current state is named so the control room can resynchronise.
                        exchange.respond(HttpAnswer.json(HttpResponseStatus.CONFLICT, PoliceMessages.json()
                                .createObjectNode().put("error", refused.reason())
                                .put("currentStatus", refused.current().label())));
                    } else if (outcome instanceof LifecycleGate.Outcome.UnknownAlert) {
                        exchange.respond(HttpAnswer.error(HttpResponseStatus.NOT_FOUND, "unknown alert " + alertId));
                    } else {
                        log.error("status report on alert {} not recorded: {}", alertId,
                                failure != null ? failure.toString() : String.valueOf(outcome));
                        exchange.respond(HttpAnswer.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "not recorded, retry"));
                    }
                }, exchange.executor());
    }

    /** The body, read strictly; each refusal is a fixed sentence (never the JSON parser's text). */
    record Report(AlertStatus status, String incidentRef) {
        static Report read(byte[] body) {
            JsonNode json;
            try {
                json = PoliceMessages.json().readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("the body is not JSON; send {\"status\": \"...\", \"incidentRef\": \"...\"}");
            }
            if (json == null || !json.path("status").isTextual()) {
                throw new IllegalArgumentException("the body must be a JSON object with a \"status\" string");
            }
            AlertStatus status;
            try {
                status = AlertStatus.parse(json.get("status").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"status\" is one of " + java.util.Arrays.stream(AlertStatus.values())
                        .map(AlertStatus::label).collect(java.util.stream.Collectors.joining(", ")));
            }
            if (status == AlertStatus.VERIFIED) {
                throw new IllegalArgumentException("verified is recorded in the control-room console, not reported here");
            }
            String incidentRef = json.path("incidentRef").asText("");
            if (incidentRef.length() > MAX_INCIDENT_REF) {
                throw new IllegalArgumentException("incidentRef longer than " + MAX_INCIDENT_REF + " characters");
            }
            return new Report(status, incidentRef);
        }
    }

    /** The CN of the control room's client certificate; empty without TLS (a test channel). */
    private static String reporterName(HttpExchange exchange) {
        Optional<SSLSession> session = exchange.tlsSession();
        if (session.isEmpty()) {
            return "";
        }
        try {
            X509Certificate certificate = (X509Certificate) session.get().getPeerCertificates()[0];
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            log.warn("status report from a client whose certificate names no control room: {}", e.toString());
        }
        return "";
    }
}
