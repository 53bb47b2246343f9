package nl.aware.records.report;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * Writes a {@link ReportDocument} as an A4 PDF with Apache PDFBox: flowing text with page breaks, tables
 * whose header repeats on a new page, and the track plot as vector drawing. The font is Liberation Sans,
 * which PDFBox ships inside its jar, embedded as a subset: no system font is needed, and names with
 * accents (Öztürk, Aïcha) print as typed; a character the font lacks prints as "?".
 */
final class PdfReportWriter {
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final float TOP = PDRectangle.A4.getHeight() - MARGIN;
    private static final float BOTTOM = MARGIN + 14; // room for the footer
    private static final float BODY = 9.5f;
    private static final float SMALL = 8f;

    private static final float[] INK = {0.10f, 0.13f, 0.17f};
    private static final float[] GOOD = {0.13f, 0.33f, 0.24f};
    private static final float[] BAD = {0.61f, 0.17f, 0.17f};
    private static final float[] MUTED = {0.29f, 0.33f, 0.41f};
    private static final float[] RULE = {0.80f, 0.84f, 0.88f};

    private final PDDocument doc;
    private final PDType0Font font;
    private final Map<Integer, Boolean> glyphs = new HashMap<>();
    private PDPageContentStream cs;
    private float y;

    private PdfReportWriter(PDDocument doc) throws IOException {
        this.doc = doc;
        try (InputStream in = PDDocument.class.getResourceAsStream(FONT)) {
            if (in == null) {
                throw new IOException("the font " + FONT + " is missing from the PDFBox jar");
            }
            this.font = PDType0Font.load(doc, in);
        }
    }

    static byte[] write(ReportDocument report, Instant generatedAt) {
        try (PDDocument doc = new PDDocument()) {
            PdfReportWriter w = new PdfReportWriter(doc);
            w.render(report);
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(report.title() + " - " + report.subtitle());
            info.setCreator("AWARE");
            Calendar created = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            created.setTimeInMillis(generatedAt.toEpochMilli());
            info.setCreationDate(created);
            doc.getDocumentCatalog().setLanguage(report.languageTag());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF report could not be written", e);
        }
    }

    private void render(ReportDocument report) throws IOException {
        newPage();
        for (String line : wrap(report.title(), 18, WIDTH)) {
            text(MARGIN, y - 18, line, 18, true, INK);
            y -= 23;
        }
        text(MARGIN, y - 10, report.subtitle(), 10, false, MUTED);
        y -= 20;
        for (ReportDocument.Block block : report.blocks()) {
            block(block);
        }
        cs.close();
        footer(report.footer(), report.pageTemplate());
    }

    private void block(ReportDocument.Block block) throws IOException {
        if (block instanceof ReportDocument.Heading h) {
            need(14 + 40); // keep a heading with what follows
            y -= 10;
            text(MARGIN, y - 12.5f, h.text(), 12.5f, true, INK);
            y -= 16;
            line(MARGIN, y, MARGIN + WIDTH, y, RULE, 0.7f);
            y -= 6;
        } else if (block instanceof ReportDocument.Paragraph p) {
            paragraph(p.text(), BODY, color(p.tone()), MARGIN, WIDTH);
            y -= 3;
        } else if (block instanceof ReportDocument.Status s) {
            status(s);
        } else if (block instanceof ReportDocument.Fields f) {
            fields(f);
        } else if (block instanceof ReportDocument.Table t) {
            table(t);
        } else if (block instanceof ReportDocument.Plot p) {
            plot(p);
        }
    }

    private void status(ReportDocument.Status s) throws IOException {
        float inner = WIDTH - 20;
        List<List<String>> wrapped = new ArrayList<>();
        float height = 12 + 16;
        for (String line : s.lines()) {
            List<String> l = wrap(line, BODY, inner - 10);
            wrapped.add(l);
            height += l.size() * leading(BODY) + 2;
        }
        need(height);
        float[] border = color(s.tone());
        float[] fill = s.tone() == ReportDocument.Tone.GOOD ? new float[] {0.94f, 1f, 0.96f} : new float[] {1f, 0.96f, 0.96f};
        cs.setNonStrokingColor(fill[0], fill[1], fill[2]);
        cs.addRect(MARGIN, y - height, WIDTH, height);
        cs.fill();
        cs.setStrokingColor(border[0], border[1], border[2]);
        cs.setLineWidth(1.6f);
        cs.addRect(MARGIN, y - height, WIDTH, height);
        cs.stroke();
        float top = y;
        y -= 8;
        text(MARGIN + 10, y - 12, s.headline(), 12, true, border);
        y -= 18;
        for (List<String> lines : wrapped) {
            text(MARGIN + 10, y - BODY, "\u2022", BODY, false, INK);
            for (String l : lines) {
                text(MARGIN + 20, y - BODY, l, BODY, false, INK);
                y -= leading(BODY);
            }
            y -= 2;
        }
        y = top - height - 4;
    }

    private void fields(ReportDocument.Fields f) throws IOException {
        float labelWidth = 165;
        for (ReportDocument.Field field : f.fields()) {
            List<String> label = wrap(field.label(), BODY, labelWidth - 8);
            List<String> value = new ArrayList<>();
            for (String part : field.value().split("\n", -1)) {
                value.addAll(wrap(part, BODY, WIDTH - labelWidth));
            }
            int lines = Math.max(label.size(), value.size());
            need(Math.min(lines, 3) * leading(BODY) + 2); // a label keeps its first lines; a long value flows on
            for (int i = 0; i < lines; i++) {
                need(leading(BODY));
                if (i < label.size()) {
                    text(MARGIN, y - BODY, label.get(i), BODY, true, INK);
                }
                if (i < value.size()) {
                    text(MARGIN + labelWidth, y - BODY, value.get(i), BODY, false, color(field.tone()));
                }
                y -= leading(BODY);
            }
            y -= 2;
        }
    }

    private void table(ReportDocument.Table t) throws IOException {
        double sum = 0;
        for (double w : t.weights()) {
            sum += w;
        }
        float[] widths = new float[t.headers().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = (float) (WIDTH * t.weights()[i] / sum);
        }
        List<List<String>> header = cells(t.headers(), widths);
        float headerHeight = height(header);
        need(headerHeight + 20);
        row(header, widths, headerHeight, true, INK);
        for (int r = 0; r < t.rows().size(); r++) {
            List<List<String>> cells = cells(t.rows().get(r), widths);
            float h = height(cells);
            if (y - h < BOTTOM) {
                newPageContinued();
                row(header, widths, headerHeight, true, INK);
            }
            row(cells, widths, h, false, color(t.tones().get(r)));
        }
        y -= 6;
    }

    private List<List<String>> cells(List<String> row, float[] widths) throws IOException {
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            cells.add(wrap(row.get(i), SMALL, widths[i] - 6));
        }
        return cells;
    }

    private static float height(List<List<String>> cells) {
        int lines = cells.stream().mapToInt(List::size).max().orElse(1);
        return Math.max(1, lines) * leading(SMALL) + 5;
    }

    private void row(List<List<String>> cells, float[] widths, float h, boolean header, float[] ink) throws IOException {
        if (header) {
            cs.setNonStrokingColor(0.93f, 0.95f, 0.97f);
            cs.addRect(MARGIN, y - h, WIDTH, h);
            cs.fill();
        }
        float x = MARGIN;
        cs.setStrokingColor(RULE[0], RULE[1], RULE[2]);
        cs.setLineWidth(0.6f);
        for (int i = 0; i < cells.size(); i++) {
            cs.addRect(x, y - h, widths[i], h);
            cs.stroke();
            float ty = y - 2.5f;
            for (String l : cells.get(i)) {
                text(x + 3, ty - SMALL, l, SMALL, header, ink);
                ty -= leading(SMALL);
            }
            x += widths[i];
        }
        y -= h;
    }

    private void plot(ReportDocument.Plot p) throws IOException {
        TrackPlot plot = p.plot();
        float w = (float) plot.width;
        float h = (float) plot.height;
        List<String> caption = wrap(p.caption(), SMALL, WIDTH);
        need(h + 6 + caption.size() * leading(SMALL));
        float left = MARGIN;
        float top = y;
        cs.saveGraphicsState();
        cs.setNonStrokingColor(0.957f, 0.965f, 0.949f);
        cs.addRect(left, top - h, w, h);
        cs.fill();
        cs.addRect(left, top - h, w, h);
        cs.clip();
        for (double gx : plot.gridX) {
            line(left + (float) gx, top, left + (float) gx, top - h, new float[] {0.87f, 0.89f, 0.85f}, 0.6f);
        }
        for (double gy : plot.gridY) {
            line(left, top - (float) gy, left + w, top - (float) gy, new float[] {0.87f, 0.89f, 0.85f}, 0.6f);
        }
        PDExtendedGraphicsState translucent = new PDExtendedGraphicsState();
        translucent.setNonStrokingAlphaConstant(0.12f);
        translucent.setStrokingAlphaConstant(0.5f);
        cs.saveGraphicsState();
        cs.setGraphicsStateParameters(translucent);
        cs.setNonStrokingColor(0.17f, 0.42f, 0.69f);
        cs.setStrokingColor(0.17f, 0.42f, 0.69f);
        cs.setLineWidth(0.7f);
        for (TrackPlot.Dot d : plot.dots) {
            circle(left + (float) d.x(), top - (float) d.y(), (float) d.radius());
            cs.fillAndStroke();
        }
        cs.restoreGraphicsState();
        if (plot.dots.size() > 1) {
            cs.setStrokingColor(0.10f, 0.21f, 0.36f);
            cs.setLineWidth(1.4f);
            TrackPlot.Dot first = plot.dots.get(0);
            cs.moveTo(left + (float) first.x(), top - (float) first.y());
            for (TrackPlot.Dot d : plot.dots.subList(1, plot.dots.size())) {
                cs.lineTo(left + (float) d.x(), top - (float) d.y());
            }
            cs.stroke();
        }
        for (TrackPlot.Dot d : plot.dots) {
            float x = left + (float) d.x();
            float yy = top - (float) d.y();
            if (d.last() && !d.first()) {
                cs.setNonStrokingColor(0.77f, 0.19f, 0.19f);
                cs.addRect(x - 4.5f, yy - 4.5f, 9, 9);
            } else if (d.first()) {
                cs.setNonStrokingColor(0.18f, 0.52f, 0.35f);
                circle(x, yy, 5);
            } else {
                cs.setNonStrokingColor(0.10f, 0.21f, 0.36f);
                circle(x, yy, 3);
            }
            cs.fill();
            text(x + 6, yy + 6, String.valueOf(d.number()), SMALL + 1, false, INK);
        }
        TrackPlot.ScaleBar bar = plot.scaleBar;
        float bx = left + (float) bar.x();
        float by = top - (float) bar.y();
        float bl = (float) bar.length();
        line(bx, by, bx + bl, by, INK, 1.5f);
        line(bx, by - 4, bx, by + 4, INK, 1.5f);
        line(bx + bl, by - 4, bx + bl, by + 4, INK, 1.5f);
        float labelWidth = width(p.scaleLabel(), SMALL + 1);
        text(bx + bl / 2 - labelWidth / 2, by + 6, p.scaleLabel(), SMALL + 1, false, INK);
        float nx = left + w - 24;
        cs.setNonStrokingColor(INK[0], INK[1], INK[2]);
        cs.moveTo(nx, top - 14);
        cs.lineTo(nx - 7, top - 36);
        cs.lineTo(nx, top - 31);
        cs.lineTo(nx + 7, top - 36);
        cs.closePath();
        cs.fill();
        text(nx - width(p.north(), 12) / 2, top - 50, p.north(), 12, true, INK);
        cs.restoreGraphicsState();
        cs.setStrokingColor(0.53f, 0.53f, 0.53f);
        cs.setLineWidth(0.8f);
        cs.addRect(left, top - h, w, h);
        cs.stroke();
        y = top - h - 4;
        for (String l : caption) {
            text(MARGIN, y - SMALL, l, SMALL, false, MUTED);
            y -= leading(SMALL);
        }
        y -= 4;
    }

    /** A circle path from four Bézier curves. */
    private void circle(float cx, float cy, float r) throws IOException {
        float k = 0.5523f * r;
        cs.moveTo(cx + r, cy);
        cs.curveTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
        cs.curveTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
        cs.curveTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
        cs.curveTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
        cs.closePath();
    }

    private void footer(String confidential, String pageTemplate) throws IOException {
        int pages = doc.getNumberOfPages();
        for (int i = 0; i < pages; i++) {
            try (PDPageContentStream c = new PDPageContentStream(doc, doc.getPage(i),
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                cs = c;
                text(MARGIN, MARGIN - 10, confidential, 7.5f, false, MUTED);
                String page = pageTemplate.replace("{0}", String.valueOf(i + 1)).replace("{1}", String.valueOf(pages));
                text(MARGIN + WIDTH - width(page, 7.5f), MARGIN - 10, page, 7.5f, false, MUTED);
            }
        }
        cs = null;
    }

    // ---------------------------------------------------------------------------------- primitives

    private void paragraph(String text, float size, float[] ink, float x, float width) throws IOException {
        for (String part : text.split("\n", -1)) {
            for (String l : wrap(part, size, width)) {
                need(leading(size));
                text(x, y - size, l, size, false, ink);
                y -= leading(size);
            }
        }
    }

    private void need(float height) throws IOException {
        if (y - height < BOTTOM) {
            newPageContinued();
        }
    }

    private void newPageContinued() throws IOException {
        cs.close();
        newPage();
    }

    private void newPage() throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = TOP;
    }

    private void text(float x, float baseline, String s, float size, boolean bold, float[] ink) throws IOException {
        String safe = safe(s);
        if (safe.isEmpty()) {
            return;
        }
        cs.beginText();
        cs.setFont(font, size);
        cs.setNonStrokingColor(ink[0], ink[1], ink[2]);
        if (bold) { // one embedded face; bold is drawn as fill plus a thin outline
            cs.setRenderingMode(RenderingMode.FILL_STROKE);
            cs.setStrokingColor(ink[0], ink[1], ink[2]);
            cs.setLineWidth(size * 0.035f);
        }
        cs.newLineAtOffset(x, baseline);
        cs.showText(safe);
        if (bold) {
            cs.setRenderingMode(RenderingMode.FILL);
        }
        cs.endText();
    }

    private void line(float x1, float y1, float x2, float y2, float[] ink, float width) throws IOException {
        cs.setStrokingColor(ink[0], ink[1], ink[2]);
        cs.setLineWidth(width);
        cs.moveTo(x1, y1);
        cs.lineTo(x2, y2);
        cs.stroke();
    }

    private static float leading(float size) {
        return size * 1.3f;
    }

    private float width(String s, float size) throws IOException {
        return font.getStringWidth(safe(s)) / 1000 * size;
    }

    /** Lines of at most {@code max} points; a word longer than a line is cut. */
    private List<String> wrap(String text, float size, float max) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : safe(text).split(" ")) {
            String candidate = current.length() == 0 ? word : current + " " + word;
            if (width(candidate, size) <= max) {
                current.setLength(0);
                current.append(candidate);
                continue;
            }
            if (current.length() > 0) {
                lines.add(current.toString());
                current.setLength(0);
            }
            while (width(word, size) > max && word.length() > 1) {
                int cut = cut(word, size, max);
                lines.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            current.append(word);
        }
        if (current.length() > 0 || lines.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    /** Where to cut a word too long for a line: after the last hyphen, slash or dot that fits, else where it must. */
    private int cut(String word, float size, float max) throws IOException {
        int hard = word.length() - 1;
        while (hard > 1 && width(word.substring(0, hard), size) > max) {
            hard--;
        }
        for (int i = hard; i > hard / 3; i--) {
            char c = word.charAt(i - 1);
            if (c == '-' || c == '/' || c == '.' || c == '_') {
                return i;
            }
        }
        return hard;
    }

    /** Control characters become spaces; characters the font cannot draw become "?". */
    private String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                b.append(' ');
            } else if (glyphs.computeIfAbsent(cp, this::drawable)) {
                b.appendCodePoint(cp);
            } else {
                b.append('?');
            }
        });
        return b.toString();
    }

    private boolean drawable(int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    private static float[] color(ReportDocument.Tone tone) {
        return switch (tone) {
            case NORMAL -> INK;
            case GOOD -> GOOD;
            case BAD -> BAD;
            case MUTED -> MUTED;
        };
    }
}
