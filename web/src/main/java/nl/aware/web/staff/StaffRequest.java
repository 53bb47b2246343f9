package nl.aware.web.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as a route sees it: already authenticated and authorised (the session is null only on
 * public routes), path parameters by name, the query, the JSON body, and the client's address.
 */
public record StaffRequest(StaffSessions.Session session, Map<String, String> pathParameters,
                           Map<String, List<String>> query, byte[] body, String source) {

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter {" + name + "}");
        }
        return value;
    }

    /** The single value of a query parameter; a repeated one is an error. */
    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw StaffApiException.badRequest("query parameter '" + name + "' given more than once");
        }
        return Optional.of(values.get(0));
    }

    /** The body as a JSON object; anything else is a 400 naming what is wrong. */
    public ObjectNode json() {
        try {
            JsonNode node = StaffResponse.JSON.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (java.io.IOException e) {
            throw StaffApiException.badRequest("the body is not valid JSON");
        }
        throw StaffApiException.badRequest("the body must be a JSON object");
    }

    /** A required text field of the JSON body. */
    public static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw StaffApiException.badRequest("field \"" + field + "\" (a string) is missing");
        }
        return value.asText();
    }

    /** The staff member making the request. */
    public String username() {
        return session == null ? "" : session.username();
    }
}
