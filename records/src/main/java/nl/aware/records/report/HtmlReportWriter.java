package nl.aware.records.report;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link ReportDocument} as one self-contained HTML file: inline CSS, the track as inline SVG,
 * no script, no external resource of any kind (a Content-Security-Policy says so to the browser too),
 * and every value escaped: the report shows text that staff and control rooms typed.
 */
final class HtmlReportWriter {
    private final StringBuilder out = new StringBuilder(32 * 1024);

    static byte[] write(ReportDocument doc) {
        return new HtmlReportWriter().render(doc).getBytes(StandardCharsets.UTF_8);
    }

    private String render(ReportDocument doc) {
        out.append("<!DOCTYPE html>\n<html lang=\"").append(esc(doc.languageTag())).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(doc.title())).append(" \u2013 ").append(esc(doc.subtitle())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>").append(esc(doc.title())).append("</h1>\n")
                .append("<p class=\"subtitle\">").append(esc(doc.subtitle())).append("</p>\n");
        for (ReportDocument.Block block : doc.blocks()) {
            block(block);
        }
        out.append("<footer>").append(esc(doc.footer())).append("</footer>\n</main>\n</body>\n</html>\n");
        return out.toString();
    }

    private void block(ReportDocument.Block block) {
        if (block instanceof ReportDocument.Heading h) {
            out.append("<h2>").append(esc(h.text())).append("</h2>\n");
        } else if (block instanceof ReportDocument.Paragraph p) {
            out.append("<p class=\"").append(tone(p.tone())).append("\">").append(esc(p.text())).append("</p>\n");
        } else if (block instanceof ReportDocument.Status s) {
            out.append("<section class=\"status ").append(tone(s.tone())).append("\">\n<p class=\"headline\">")
                    .append(esc(s.headline())).append("</p>\n<ul>\n");
            for (String line : s.lines()) {
                out.append("<li>").append(esc(line)).append("</li>\n");
            }
            out.append("</ul>\n</section>\n");
        } else if (block instanceof ReportDocument.Fields f) {
            out.append("<dl>\n");
            for (ReportDocument.Field field : f.fields()) {
                out.append("<dt>").append(esc(field.label())).append("</dt><dd class=\"").append(tone(field.tone()))
                        .append("\">").append(esc(field.value())).append("</dd>\n");
            }
            out.append("</dl>\n");
        } else if (block instanceof ReportDocument.Table t) {
            table(t);
        } else if (block instanceof ReportDocument.Plot p) {
            plot(p);
        }
    }

    private void table(ReportDocument.Table t) {
        out.append("<table>\n<thead><tr>");
        for (String h : t.headers()) {
            out.append("<th>").append(esc(h)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < t.rows().size(); i++) {
            out.append("<tr class=\"").append(tone(t.tones().get(i))).append("\">");
            for (String cell : t.rows().get(i)) {
                out.append("<td>").append(esc(cell)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private void plot(ReportDocument.Plot p) {
        TrackPlot plot = p.plot();
        out.append("<figure>\n<svg viewBox=\"0 0 ").append(n(plot.width)).append(' ')
                .append(n(plot.height)).append("\" role=\"img\" aria-label=\"").append(esc(p.caption())).append("\">\n")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(n(plot.width)).append("\" height=\"").append(n(plot.height))
                .append("\" fill=\"#f4f6f2\" stroke=\"#888\"/>\n");
        for (double x : plot.gridX) {
            out.append("<line x1=\"").append(n(x)).append("\" y1=\"0\" x2=\"").append(n(x)).append("\" y2=\"")
                    .append(n(plot.height)).append("\" stroke=\"#dde2da\" stroke-width=\"0.6\"/>\n");
        }
        for (double y : plot.gridY) {
            out.append("<line x1=\"0\" y1=\"").append(n(y)).append("\" x2=\"").append(n(plot.width)).append("\" y2=\"")
                    .append(n(y)).append("\" stroke=\"#dde2da\" stroke-width=\"0.6\"/>\n");
        }
        for (TrackPlot.Dot d : plot.dots) {
            out.append("<circle cx=\"").append(n(d.x())).append("\" cy=\"").append(n(d.y())).append("\" r=\"")
                    .append(n(d.radius())).append("\" fill=\"#2b6cb0\" fill-opacity=\"0.12\" stroke=\"#2b6cb0\" stroke-opacity=\"0.5\" stroke-width=\"0.7\"/>\n");
        }
        if (plot.dots.size() > 1) {
            out.append("<polyline fill=\"none\" stroke=\"#1a365d\" stroke-width=\"1.4\" points=\"");
            for (TrackPlot.Dot d : plot.dots) {
                out.append(n(d.x())).append(',').append(n(d.y())).append(' ');
            }
            out.append("\"/>\n");
        }
        for (TrackPlot.Dot d : plot.dots) {
            if (d.last() && !d.first()) {
                out.append("<rect x=\"").append(n(d.x() - 4.5)).append("\" y=\"").append(n(d.y() - 4.5))
                        .append("\" width=\"9\" height=\"9\" fill=\"#c53030\"/>\n");
            } else {
                out.append("<circle cx=\"").append(n(d.x())).append("\" cy=\"").append(n(d.y())).append("\" r=\"")
                        .append(d.first() ? "5" : "3").append("\" fill=\"").append(d.first() ? "#2f855a" : "#1a365d")
                        .append("\"/>\n");
            }
            out.append("<text x=\"").append(n(d.x() + 6)).append("\" y=\"").append(n(d.y() - 6))
                    .append("\" font-size=\"10\" font-family=\"sans-serif\" fill=\"#1a202c\">").append(d.number())
                    .append("</text>\n");
        }
        TrackPlot.ScaleBar bar = plot.scaleBar;
        out.append("<g stroke=\"#1a202c\" stroke-width=\"1.5\"><line x1=\"").append(n(bar.x())).append("\" y1=\"")
                .append(n(bar.y())).append("\" x2=\"").append(n(bar.x() + bar.length())).append("\" y2=\"").append(n(bar.y()))
                .append("\"/><line x1=\"").append(n(bar.x())).append("\" y1=\"").append(n(bar.y() - 4)).append("\" x2=\"")
                .append(n(bar.x())).append("\" y2=\"").append(n(bar.y() + 4)).append("\"/><line x1=\"")
                .append(n(bar.x() + bar.length())).append("\" y1=\"").append(n(bar.y() - 4)).append("\" x2=\"")
                .append(n(bar.x() + bar.length())).append("\" y2=\"").append(n(bar.y() + 4)).append("\"/></g>\n")
                .append("<text x=\"").append(n(bar.x() + bar.length() / 2)).append("\" y=\"").append(n(bar.y() - 6))
                .append("\" font-size=\"10\" font-family=\"sans-serif\" text-anchor=\"middle\">").append(esc(p.scaleLabel()))
                .append("</text>\n");
        double nx = plot.width - 24;
        out.append("<polygon points=\"").append(n(nx)).append(",14 ").append(n(nx - 7)).append(",36 ").append(n(nx))
                .append(",31 ").append(n(nx + 7)).append(",36\" fill=\"#1a202c\"/>\n<text x=\"").append(n(nx))
                .append("\" y=\"50\" font-size=\"12\" font-weight=\"bold\" font-family=\"sans-serif\" text-anchor=\"middle\">")
                .append(esc(p.north())).append("</text>\n</svg>\n<figcaption>").append(esc(p.caption()))
                .append("</figcaption>\n</figure>\n");
    }

    private static String tone(ReportDocument.Tone tone) {
        return tone.name().toLowerCase(Locale.ROOT);
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Escapes text for element content and quoted attributes alike. */
    static String esc(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 14px; color: #1a202c; margin: 0; background: #fff; }
            main { max-width: 60em; margin: 0 auto; padding: 1.5em 2em 3em; }
            h1 { font-size: 1.6em; margin: 0.2em 0 0; }
            .subtitle { margin: 0.2em 0 1em; color: #4a5568; font-family: monospace; }
            h2 { font-size: 1.15em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #cbd5e0; padding-bottom: 0.2em; }
            p { margin: 0.4em 0; white-space: pre-wrap; }
            .good { color: #22543d; } .bad { color: #9b2c2c; } .muted { color: #4a5568; }
            .status { border: 2px solid; border-radius: 4px; padding: 0.5em 1em; }
            .status.good { border-color: #2f855a; background: #f0fff4; } .status.bad { border-color: #c53030; background: #fff5f5; }
            .status .headline { font-weight: bold; font-size: 1.15em; }
            .status ul { margin: 0.3em 0; padding-left: 1.2em; color: #1a202c; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1.2em; margin: 0.4em 0; }
            dt { font-weight: bold; } dd { margin: 0; white-space: pre-wrap; }
            table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.92em; }
            th, td { border: 1px solid #cbd5e0; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
            th { background: #edf2f7; }
            tr.bad td { color: #9b2c2c; } tr.good td { color: #22543d; } tr.muted td { color: #4a5568; }
            figure { margin: 0.6em 0; } svg { width: 100%; max-width: 50em; height: auto; display: block; }
            figcaption { font-size: 0.9em; color: #4a5568; }
            footer { margin-top: 2em; font-size: 0.85em; color: #4a5568; border-top: 1px solid #cbd5e0; padding-top: 0.5em; }
            @media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } tr, figure { break-inside: avoid; } }
            """;
}
