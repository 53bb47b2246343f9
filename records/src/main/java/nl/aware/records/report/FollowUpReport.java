package nl.aware.records.report;

import nl.aware.records.history.AlertHistory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The follow-up report of one alert (issue 4; docs/reports.md): what a carrier and Kadera bring to the
 * police report, as HTML or PDF, in Dutch or English. Both formats are drawn from the same words
 * ({@link ReportContent}), so they never disagree.
 */
public final class FollowUpReport {

    /** The file formats a report is written in. */
    public enum Format {
        HTML("html", "text/html; charset=utf-8"), PDF("pdf", "application/pdf");

        private final String extension;
        private final String mediaType;

        Format(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }

        public String extension() {
            return extension;
        }

        public String mediaType() {
            return mediaType;
        }

        /** "html" or "pdf", any case; a precise message otherwise. */
        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.extension.equalsIgnoreCase(text.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("report format '" + text + "' is not available; choose html or pdf");
        }
    }

    private FollowUpReport() {
    }

    /** The report as bytes: UTF-8 HTML or a PDF. {@code generatedAt} is printed in it. */
    public static byte[] render(AlertHistory history, ReportLanguage language, Format format, Instant generatedAt) {
        ReportDocument document = ReportContent.of(history, language, generatedAt);
        return switch (format) {
            case HTML -> HtmlReportWriter.write(document);
            case PDF -> PdfReportWriter.write(document, generatedAt);
        };
    }

    /** The file name of a report in an evidence bundle, e.g. "report-nl.pdf". */
    public static String fileName(ReportLanguage language, Format format) {
        return "report-" + language.code() + "." + format.extension().toLowerCase(Locale.ROOT);
    }

    /** Every language in every format, by file name: what an evidence bundle carries. */
    public static Map<String, byte[]> all(AlertHistory history, Instant generatedAt) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ReportLanguage language : ReportLanguage.values()) {
            for (Format format : Format.values()) {
                files.put(fileName(language, format), render(history, language, format, generatedAt));
            }
        }
        return files;
    }
}
