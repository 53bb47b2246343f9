package nl.aware.records.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Every word of a report in one language, from its message bundle, and how times and durations are
 * written: dates in Europe/Amsterdam with the zone shown, durations as "4 min 05 s". A missing key is a
 * programming error and fails loudly rather than printing a key to a carrier.
 */
final class ReportText {
    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final String BUNDLE = "nl.aware.records.report.messages";

    private final ReportLanguage language;
    private final ResourceBundle bundle;
    private final DateTimeFormatter dateTime;

    ReportText(ReportLanguage language) {
        this.language = language;
        this.bundle = ResourceBundle.getBundle(BUNDLE, language.locale(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        this.dateTime = DateTimeFormatter.ofPattern(get("format.datetime"), language.locale()).withZone(ZONE);
    }

    ReportLanguage language() {
        return language;
    }

    String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("message '" + key + "' is missing from the " + language.code()
                    + " report bundle", e);
        }
    }

    /** The message with {0}, {1}... replaced by the arguments as plain text. */
    String format(String key, Object... args) {
        String text = get(key);
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    String time(Instant instant) {
        return instant == null ? get("unknown") : dateTime.format(instant);
    }

    /** Human-readable: "850 ms", "4.2 s", "3 min 05 s", "1 h 02 min", "2 d 03 h"; negative with a minus. */
    String duration(Duration d) {
        if (d.isNegative()) {
            return format("duration.negative", duration(d.negated()));
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return format("duration.ms", ms);
        }
        if (ms < 10_000) {
            return format("duration.s", (ms / 1000) + get("number.decimal") + (ms % 1000) / 100);
        }
        long s = d.toSeconds();
        if (s < 60) {
            return format("duration.s", s);
        }
        if (s < 3600) {
            return format("duration.min", s / 60, String.format("%02d", s % 60));
        }
        if (s < 86_400) {
            return format("duration.h", s / 3600, String.format("%02d", (s % 3600) / 60));
        }
        return format("duration.d", s / 86_400, String.format("%02d", (s % 86_400) / 3600));
    }

    /** A decimal number with the language's separator, {@code places} digits after it. */
    String decimal(double value, int places) {
        return String.format(java.util.Locale.ROOT, "%." + places + "f", value).replace(".", get("number.decimal"));
    }
}
