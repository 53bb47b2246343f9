package nl.aware.records.report;

import java.util.List;

/**
 * A report as a list of blocks, in words already (one language): what both the HTML and the PDF writer
 * draw, so the two formats always say the same thing.
 */
record ReportDocument(String languageTag, String title, String subtitle, List<Block> blocks, String footer,
                      String pageTemplate) {

    /** How a piece of text should strike the reader. */
    enum Tone { NORMAL, GOOD, BAD, MUTED }

    sealed interface Block {
    }

    record Heading(String text) implements Block {
    }

    record Paragraph(String text, Tone tone) implements Block {
    }

    /** A framed box of lines, the first one the headline (the verification status). */
    record Status(String headline, List<String> lines, Tone tone) implements Block {
    }

    record Fields(List<Field> fields) implements Block {
    }

    record Field(String label, String value, Tone tone) {
        Field(String label, String value) {
            this(label, value, Tone.NORMAL);
        }
    }

    /** A table; {@code weights} are the relative column widths, {@code tones} one per row. */
    record Table(List<String> headers, List<List<String>> rows, List<Tone> tones, double[] weights) implements Block {
    }

    record Plot(TrackPlot plot, String caption, String north, String scaleLabel) implements Block {
    }
}
