package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The police screen: one line per arrival and per lifecycle report. Coordinates are shown here, on
 * the control room's own display, and nowhere else: our server never logs them.
 *
 * <pre>
 * 14:02:11.532 ijsselland ALERT                 ijsselland IJS-1   52.51234,6.08321 ±12 m gnss fix 3 s  age 85 ms  presses 1  alert 3f2a9c1e
 * 14:02:11.790 ijsselland STATUS acknowledged   ijsselland IJS-1   → 204 after 1 attempt                  alert 3f2a9c1e
 * </pre>
 */
public final class ControlRoomView implements ArrivalListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;
    private final ZoneId zone;

    public ControlRoomView(PrintStream out) {
        this(out, ZoneId.systemDefault());
    }

    public ControlRoomView(PrintStream out, ZoneId zone) {
        this.out = out;
        this.zone = zone;
    }

    @Override
    public void arrived(Arrival arrival) {
        String what = switch (arrival.kind()) {
            case UPDATE -> "UPDATE(" + arrival.detail() + ")";
            case REPLAY -> arrival.detail().isEmpty() ? "REPLAY" : "REPLAY(" + arrival.detail() + ")";
            case ESCALATION -> "ESCALATION";
            case NOTICE -> "NOTICE(" + arrival.detail() + ")";
            default -> arrival.kind().name();
        };
        JsonNode body = arrival.body();
        StringBuilder line = new StringBuilder(160);
        line.append(String.format(Locale.ROOT, "%s %-10s %-21s %-10s %-8s %s", TIME.format(arrival.at().atZone(zone)),
                arrival.receiver(), what, arrival.region(), dash(arrival.incidentRef()), location(body)));
        JsonNode receiveTime = body.path("press").path("receiveTime");
        if (!receiveTime.isTextual()) {
            receiveTime = body.path("time");
        }
        if (receiveTime.isTextual()) {
            line.append("  age ").append(age(receiveTime.asText(), arrival.at()));
        }
        JsonNode presses = body.path("press").path("presses");
        if (presses.isNumber()) {
            line.append("  presses ").append(presses.asInt());
        }
        if (arrival.kind() == Arrival.Kind.DUPLICATE || arrival.kind() == Arrival.Kind.ESCALATION) {
            line.append("  (").append(arrival.detail()).append(')');
        }
        line.append("  alert ").append(shortId(arrival.alertId()));
        out.println(line);
    }

    @Override
    public void reported(CallbackOutcome outcome) {
        String result = outcome.httpStatus() == 0 ? "no answer (" + outcome.error() + ")" : "→ " + outcome.httpStatus();
        out.println(String.format(Locale.ROOT, "%s %-10s %-21s %-10s %-8s %s after %d attempt%s  alert %s",
                TIME.format(outcome.at().atZone(zone)), outcome.room(), "STATUS " + outcome.status(), "",
                dash(outcome.incidentRef()), result, outcome.attempts(), outcome.attempts() == 1 ? "" : "s",
                shortId(outcome.alertId())));
    }

    /** "52.51234,6.08321 ±12 m gnss fix 3 s", "no fix" when the alert said so, "-" when the message has none. */
    static String location(JsonNode body) {
        if (!body.has("location")) {
            return "-";
        }
        JsonNode location = body.get("location");
        if (location == null || location.isNull()) {
            return "no fix";
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%.5f,%.5f",
                location.path("latitude").asDouble(), location.path("longitude").asDouble()));
        if (location.has("accuracyM")) {
            text.append(" ±").append(location.get("accuracyM").asInt()).append(" m");
        }
        text.append(' ').append(location.path("source").asText("?"));
        if (location.has("fixAgeS")) {
            text.append(" fix ").append(location.get("fixAgeS").asInt()).append(" s");
        }
        return text.toString();
    }

    private static String age(String receiveTime, Instant now) {
        try {
            long ms = Duration.between(Instant.parse(receiveTime), now).toMillis();
            return ms < 10_000 ? ms + " ms" : (ms / 1000) + " s";
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static String dash(String text) {
        return text == null || text.isEmpty() ? "-" : text;
    }
}
