package nl.aware.web.staff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.http.HttpAnswer;

import java.util.Map;

/**
 * What a route answers: a status, a content type and the body bytes. JSON for data; other types
 * (a report as HTML or PDF) through {@link #bytes}. Written by the toolkit as an {@link HttpAnswer}.
 */
public record StaffResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers,
                            EventStream stream) {

    /** A Server-Sent Events stream instead of a body (the control room's live queue). */
    public static StaffResponse stream(EventStream stream) {
        return new StaffResponse(HttpResponseStatus.OK, "text/event-stream", new byte[0], Map.of(),
                java.util.Objects.requireNonNull(stream));
    }

    static final ObjectMapper JSON = new ObjectMapper();

    public StaffResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of(), null);
    }

    /** The same answer with one more header (e.g. Set-Cookie). */
    public StaffResponse withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new StaffResponse(status, contentType, body, Map.copyOf(more), stream);
    }
    public static final String APPLICATION_JSON = HttpAnswer.APPLICATION_JSON;

    public static StaffResponse json(HttpResponseStatus status, Object value) {
        try {
            return new StaffResponse(status, APPLICATION_JSON, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable as JSON", e);
        }
    }

    public static StaffResponse ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    public static StaffResponse noContent() {
        return new StaffResponse(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
    }

    /** {@code {"error": sentence}}: a fixed sentence naming what is wrong, never an exception's text. */
    public static StaffResponse error(HttpResponseStatus status, String sentence) {
        HttpAnswer answer = HttpAnswer.error(status, sentence);
        return new StaffResponse(status, answer.contentType(), answer.body());
    }

    public static StaffResponse bytes(String contentType, byte[] body) {
        return new StaffResponse(HttpResponseStatus.OK, contentType, body);
    }

    /** The JSON mapper the API uses, for routes that build trees. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /** As the toolkit writes it; a 401 names the scheme to use. */
    HttpAnswer toAnswer() {
        HttpAnswer answer = new HttpAnswer(status, contentType, body, headers);
        return status.equals(HttpResponseStatus.UNAUTHORIZED)
                ? answer.withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"aware-staff\"")
                : answer;
    }
}
