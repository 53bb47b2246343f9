package nl.aware.web.staff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/**
 * What a route answers: a status, a content type and the body bytes. JSON for data; other types
 * (a report as HTML or PDF) through {@link #bytes}.
 */
public record StaffResponse(HttpResponseStatus status, String contentType, byte[] body,
                            java.util.Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper();

    public StaffResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, java.util.Map.of());
    }

    /** The same answer with one more header (e.g. Set-Cookie). */
    public StaffResponse withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new StaffResponse(status, contentType, body, java.util.Map.copyOf(more));
    }
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
