package nl.aware.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a server answers: a status, a content type (null for no body), the body bytes and any extra
 * headers. Errors are a JSON object {@code {"error": "..."}} whose sentence is fixed by the code that
 * refuses: never parser text, an exception message or a file path.
 */
public record HttpAnswer(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String APPLICATION_JSON = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public HttpAnswer {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static HttpAnswer json(HttpResponseStatus status, Object value) {
        try {
            return new HttpAnswer(status, APPLICATION_JSON, JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable as JSON", e);
        }
    }

    public static HttpAnswer error(HttpResponseStatus status, String sentence) {
        return new HttpAnswer(status, APPLICATION_JSON,
                JSON.createObjectNode().put("error", sentence).toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpAnswer bytes(HttpResponseStatus status, String contentType, byte[] body) {
        return new HttpAnswer(status, contentType, body, Map.of());
    }

    public static HttpAnswer text(HttpResponseStatus status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpAnswer empty(HttpResponseStatus status) {
        return new HttpAnswer(status, null, new byte[0], Map.of());
    }

    /** The same answer with one more header. */
    public HttpAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpAnswer(status, contentType, body, more);
    }
}
