package nl.aware.http;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A UUID as a caller types it into a path or query: only the 36-character 8-4-4-4-12 form is one
 * ({@link UUID#fromString} also takes {@code 1-1-1-1-1}); upper-case hex is lowered, so whatever is
 * filed or compared afterwards is the canonical lower-case text.
 */
public final class StrictUuid {
    private static final Pattern FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private StrictUuid() {
    }

    public static Optional<UUID> parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text.toLowerCase(Locale.ROOT)));
    }
}
