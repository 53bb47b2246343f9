package nl.aware.web.staff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/**
 * What a route answers: a status, a content type and the body bytes. JSON for data; other types
 * (a report as HTML or PDF) through {@link #bytes}.
 */
public record StaffResponse(HttpResponseStatus status, String contentType, byte[] body, EventStream stream) {

    public StaffResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    /** A Server-Sent Events stream instead of a body (the control room's live queue). */
    public static StaffResponse stream(EventStream stream) {
        return new StaffResponse(HttpResponseStatus.OK, "text/event-stream", new byte[0], java.util.Objects.requireNonNull(stream));
    }

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String APPLICATION_JSON = "application/json";

    public static StaffResponse json(HttpResponseStatus status, Object value) {
        try {
            return new StaffResponse(status, APPLICATION_JSON, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    public static StaffResponse ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    public static StaffResponse noContent() {
        return new StaffResponse(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
    }

    public static StaffResponse error(HttpResponseStatus status, String message) {
        return new StaffResponse(status, APPLICATION_JSON, JSON.createObjectNode().put("error", message).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    public static StaffResponse bytes(String contentType, byte[] body) {
        return new StaffResponse(HttpResponseStatus.OK, contentType, body);
    }

    /** The JSON mapper the API uses, for routes that build trees. */
    public static ObjectMapper mapper() {
        return JSON;
    }
}
