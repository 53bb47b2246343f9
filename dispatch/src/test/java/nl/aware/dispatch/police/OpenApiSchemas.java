package nl.aware.dispatch.police;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks JSON against a schema of docs/openapi.yaml: the subset of OpenAPI 3.0 the file uses ($ref, type,
 * nullable, required, properties, additionalProperties false, enum, format uuid/date-time, minimum, maximum,
 * maxLength, pattern). A keyword it does not know fails the check, so the file cannot outgrow the checker unseen.
 */
final class OpenApiSchemas {
    private static final Set<String> KNOWN = Set.of("$ref", "type", "nullable", "required", "properties",
            "additionalProperties", "enum", "format", "minimum", "maximum", "maxLength", "pattern", "description",
            "items");

    private final JsonNode document;

    private OpenApiSchemas(JsonNode document) {
        this.document = document;
    }

    /** docs/openapi.yaml of this checkout (the module runs with its own directory as basedir). */
    static OpenApiSchemas load() throws IOException {
        Path file = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent().resolve("docs/openapi.yaml");
        Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        return new OpenApiSchemas(PoliceMessages.json().valueToTree(yaml));
    }

    JsonNode example(String name) {
        return document.path("components").path("examples").path(name).path("value");
    }

    /** What is wrong with {@code value} against schema {@code name}; empty when it conforms. */
    List<String> problems(String name, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(document.path("components").path("schemas").path(name), value, "$", problems);
        return problems;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            check(document.at(ref.substring(1)), value, at, problems);
            return;
        }
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN.contains(key)) {
                problems.add(at + ": the checker does not know the keyword '" + key + "'");
            }
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(at + ": null is not allowed");
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "array" -> value.isArray();
            default -> true;
        };
        if (!typeOk) {
            problems.add(at + ": expected " + type + ", got " + value.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode option : schema.get("enum")) {
                listed |= option.equals(value);
            }
            if (!listed) {
                problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            String text = value.asText();
            String format = schema.path("format").asText("");
            if (format.equals("uuid") && !isUuid(text)) {
                problems.add(at + ": not a uuid");
            }
            if (format.equals("date-time") && !isDateTime(text)) {
                problems.add(at + ": not an RFC 3339 date-time");
            }
            if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
                problems.add(at + ": longer than " + schema.get("maxLength").asInt());
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
                problems.add(at + ": does not match " + schema.get("pattern").asText());
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                problems.add(at + ": below " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                problems.add(at + ": above " + schema.get("maximum"));
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(at + ": " + required.asText() + " is required");
                }
            }
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    check(properties.get(field.getKey()), field.getValue(), at + "." + field.getKey(), problems);
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.get("additionalProperties").asBoolean()) {
                    problems.add(at + ": " + field.getKey() + " is not a property of the schema");
                }
            }
        }
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equals(text.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }
}
