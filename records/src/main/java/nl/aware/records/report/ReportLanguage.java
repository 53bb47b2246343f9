package nl.aware.records.report;

import java.util.Locale;

/** The languages a follow-up report is written in; each has one message bundle (messages_xx.properties). */
public enum ReportLanguage {
    NL(Locale.forLanguageTag("nl-NL")), EN(Locale.forLanguageTag("en-GB"));

    private final Locale locale;

    ReportLanguage(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "nl" or "en", any case; a precise message otherwise. */
    public static ReportLanguage parse(String text) {
        for (ReportLanguage l : values()) {
            if (l.code().equalsIgnoreCase(text.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("report language '" + text + "' is not available; choose nl or en");
    }
}
