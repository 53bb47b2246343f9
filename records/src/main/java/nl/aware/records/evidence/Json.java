package nl.aware.records.evidence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * Jackson, set up for evidence files: objects keep their order, integers are longs, duplicate keys and
 * trailing text are refused, nesting is shallow, and a fraction or an exponent is refused too: a bundle
 * holds none, so one is a sign of an edited file.
 */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private Json() {
    }

    static final class JsonException extends Exception {
        JsonException(String message) {
            super(message);
        }
    }

    /** Pretty-printed, newline-terminated. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getSimpleName(), e);
        }
    }

    /** Maps become ordered maps, arrays lists, numbers {@link Long}; anything else is refused. */
    static Object parse(String text) throws JsonException {
        Object value;
        try {
            value = MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new JsonException(e.getOriginalMessage());
        }
        requireIntegers(value);
        return value;
    }

    private static void requireIntegers(Object value) throws JsonException {
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                requireIntegers(v);
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                requireIntegers(v);
            }
        } else if (value instanceof Number && !(value instanceof Long)) {
            throw new JsonException("a number that is not a whole number: " + value);
        }
    }
}
