package nl.aware.records.report;

import nl.aware.core.protocol.DeviceClock;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.AlertStatus;
import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertType;
import nl.aware.core.pki.DeviceIds;
import nl.aware.records.report.ReportDocument.Block;
import nl.aware.records.report.ReportDocument.Field;
import nl.aware.records.report.ReportDocument.Tone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a follow-up report says about an alert, in one language: the verification status first (a reader
 * must know at once whether to trust the rest), then carrier, device and press, the lifecycle with
 * durations, every delivery attempt, escalations, shed work, the location track with its plot, the cancel.
 */
final class ReportContent {
    /** Plot box in abstract units (points in the PDF, user units in the SVG). */
    static final double PLOT_WIDTH = 495;
    static final double PLOT_HEIGHT = 300;

    private final AlertHistory h;
    private final ReportText t;
    private final List<Block> blocks = new ArrayList<>();

    private ReportContent(AlertHistory history, ReportText text) {
        this.h = history;
        this.t = text;
    }

    static ReportDocument of(AlertHistory history, ReportLanguage language, Instant generatedAt) {
        ReportContent c = new ReportContent(history, new ReportText(language));
        return c.build(generatedAt);
    }

    private ReportDocument build(Instant generatedAt) {
        AlertHistory.ChainCheck chain = h.verification().chain();
        if (h.type() == AlertType.TEST) {
            blocks.add(new ReportDocument.Paragraph(t.get("test.banner"), Tone.BAD));
        }
        blocks.add(new ReportDocument.Paragraph(t.format("generated", t.time(generatedAt), chain.firstSequence(),
                chain.lastSequence()), Tone.MUTED));
        verification();
        carrier();
        press();
        lifecycle();
        recordings();
        deliveries();
        escalations();
        shed();
        track();
        cancel();
        return new ReportDocument(t.get("lang.tag"), t.get("title"), t.format("subtitle", h.alertId()), blocks,
                t.get("footer.confidential"), t.get("footer.page"));
    }

    private void verification() {
        AlertHistory.Verification v = h.verification();
        AlertHistory.ChainCheck c = v.chain();
        AlertHistory.SignatureCheck s = v.signatures();
        List<String> lines = new ArrayList<>();
        if (c.intact()) {
            lines.add(t.format("verification.chain.ok", c.logRecords(), c.alertRecords(), c.firstSequence(),
                    c.lastSequence()));
        } else {
            String where = c.badSegment() == null ? t.get("unknown") : c.badSegment()
                    + (c.badOffset() >= 0 ? ", offset " + c.badOffset() : "");
            lines.add(c.badSequence() >= 0 ? t.format("verification.chain.bad", c.badSequence(), where, c.problem())
                    : t.format("verification.chain.bad.unknown", where, c.problem()));
        }
        if (c.tornTailBytes() > 0) {
            lines.add(t.format("verification.torn", c.tornTailBytes()));
        }
        if (s.certificateSerial().isEmpty()) {
            lines.add(t.format("verification.signatures.none", s.certificateSubject()));
        } else if (s.failedRecords().isEmpty()) {
            lines.add(t.format("verification.signatures.ok", s.verifiedFrames(), s.frames(), s.certificateSerial()));
        } else {
            lines.add(t.format("verification.signatures.bad", s.verifiedFrames(), s.frames(),
                    s.failedRecords().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    s.certificateSerial()));
        }
        lines.add(s.issuedByCa() == null ? t.get("verification.ca.unchecked")
                : s.issuedByCa() ? t.get("verification.ca.ok") : t.get("verification.ca.bad"));
        AlertHistory.AnchorCheck a = v.anchor();
        if (a.problem() != null) {
            lines.add(t.format("verification.anchor.bad", a.problem()));
        } else if (a.anchored()) {
            lines.add(t.format("verification.anchor.ok", a.checkpointRecord(), a.signedSequence(), t.time(a.signedAt()),
                    a.signer()));
        } else if (a.checked()) {
            lines.add(t.get("verification.anchor.none"));
        }
        blocks.add(new ReportDocument.Heading(t.get("verification.title")));
        blocks.add(new ReportDocument.Status(t.get(v.verified() ? "verification.ok" : "verification.bad"), lines,
                v.verified() ? Tone.GOOD : Tone.BAD));
    }

    private void carrier() {
        blocks.add(new ReportDocument.Heading(t.get("carrier.title")));
        if (h.carrier() == null) {
            blocks.add(new ReportDocument.Paragraph(t.get("carrier.none"), Tone.BAD));
            return;
        }
        CarrierProfile p = h.carrier().profile();
        blocks.add(new ReportDocument.Fields(List.of(
                new Field(t.get("carrier.name"), p.name()),
                new Field(t.get("carrier.phone"), orNone(p.phone())),
                new Field(t.get("carrier.id"), h.carrier().carrierId().toString()),
                new Field(t.get("carrier.region"), region(h.carrier().region())),
                new Field(t.get("carrier.photo"), orNone(p.photoReference())),
                new Field(t.get("carrier.threat"), orNone(p.threatDescription())),
                new Field(t.get("carrier.aggressor"), orNone(p.aggressorDescription())),
                new Field(t.get("carrier.notes"), orNone(p.policeNotes())))));
    }

    private void press() {
        AlertHistory.Press p = h.press();
        blocks.add(new ReportDocument.Heading(t.get("press.title")));
        boolean clockWrong = p.deviceClockWrong();
        String difference = clockWrong ? t.get("press.clockWrong") : t.duration(p.clockDifference());
        blocks.add(new ReportDocument.Fields(List.of(
                new Field(t.get("press.device"), DeviceIds.format(h.deviceId())),
                new Field(t.get("press.region"), h.region() == null ? t.get("unknown") : region(h.region())),
                new Field(t.get("press.type"), t.get(h.type() == AlertType.TEST ? "press.type.test" : "press.type.real"),
                        h.type() == AlertType.TEST ? Tone.BAD : Tone.NORMAL),
                new Field(t.get("press.deviceTime"), deviceTime(p.deviceTime(), p.receiveTime()),
                        clockWrong ? Tone.BAD : Tone.NORMAL),
                new Field(t.get("press.receiveTime"), t.time(p.receiveTime())),
                new Field(t.get("press.difference"), p.delayed() ? t.format("press.delayed", difference) : difference,
                        p.delayed() ? Tone.BAD : Tone.NORMAL),
                new Field(t.get("press.record"), String.valueOf(p.sequence())),
                new Field(t.get("press.repeats"), String.valueOf(h.repeatedPresses().size()),
                        h.repeatedPresses().isEmpty() ? Tone.NORMAL : Tone.BAD))));
        if (h.repeatedPresses().isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("press.repeats.none"), Tone.MUTED));
            return;
        }
        blocks.add(new ReportDocument.Paragraph(t.get("press.repeats.intro"), Tone.BAD));
        List<List<String>> rows = new ArrayList<>();
        int n = 1;
        for (AlertHistory.Press r : h.repeatedPresses()) {
            rows.add(List.of(String.valueOf(++n), deviceTime(r.deviceTime(), r.receiveTime()), t.time(r.receiveTime()),
                    t.duration(Duration.between(p.receiveTime(), r.receiveTime())), String.valueOf(r.sequence())));
        }
        blocks.add(table(List.of(t.get("track.number"), t.get("track.deviceTime"), t.get("track.receiveTime"),
                t.get("timeline.sincePress"), t.get("press.record")), rows, null, 0.4, 2, 2, 1.2, 0.8));
    }

    /** One step of the timeline, from the log. */
    private record Step(Instant time, long sequence, String label, String reference, String by, Tone tone) {
    }

    private void lifecycle() {
        blocks.add(new ReportDocument.Heading(t.get("timeline.title")));
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(h.press().receiveTime(), h.press().sequence(), t.get("step.pressed"), "",
                DeviceIds.format(h.deviceId()), Tone.NORMAL));
        h.deliveries().stream().filter(d -> d.delivered() && d.item() == AlertHistory.ItemKind.ALERT).findFirst()
                .ifPresent(d -> steps.add(new Step(d.time(), d.sequence(), t.format("step.delivered", d.target()),
                        d.detail(), d.target(), Tone.GOOD)));
        for (AlertHistory.Escalation e : h.escalations()) {
            steps.add(new Step(e.time(), e.sequence(), t.get("step.escalated"), "", e.route(), Tone.BAD));
        }
        for (AlertHistory.Cancel c : h.cancels()) {
            steps.add(new Step(c.receiveTime(), c.sequence(), t.get("step.cancel"), "", DeviceIds.format(h.deviceId()),
                    Tone.MUTED));
        }
        for (AlertHistory.LifecycleStep s : h.lifecycle()) {
            steps.add(new Step(s.time(), s.sequence(), t.get("step." + s.status().name().toLowerCase(Locale.ROOT)),
                    s.incidentReference(), s.reporter(), s.status() == AlertStatus.CLOSED ? Tone.GOOD : Tone.NORMAL));
        }
        steps.sort(Comparator.comparingLong(Step::sequence));
        List<List<String>> rows = new ArrayList<>();
        List<Tone> tones = new ArrayList<>();
        Instant previous = null;
        for (Step s : steps) {
            rows.add(List.of(s.label(), t.time(s.time()), t.duration(Duration.between(h.press().receiveTime(), s.time())),
                    previous == null ? "" : t.duration(Duration.between(previous, s.time())), s.reference(), s.by()));
            tones.add(s.tone());
            previous = s.time();
        }
        blocks.add(table(List.of(t.get("timeline.step"), t.get("timeline.time"), t.get("timeline.sincePress"),
                t.get("timeline.sincePrevious"), t.get("timeline.reference"), t.get("timeline.by")), rows, tones,
                2.2, 2, 1.1, 1.1, 1.3, 1.6));
        if (!h.closed()) {
            blocks.add(new ReportDocument.Paragraph(t.get("timeline.open"), Tone.BAD));
        }
    }

    /** The sound kept for the alert, stream by stream, and who asked to listen in live. Never the sound itself. */
    private void recordings() {
        blocks.add(new ReportDocument.Heading(t.get("recordings.title")));
        if (h.recordings().isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("recordings.none"), Tone.MUTED));
        } else {
            List<List<String>> rows = new ArrayList<>();
            List<Tone> tones = new ArrayList<>();
            for (AlertHistory.Recording r : h.recordings()) {
                String what = r.press() ? t.get("recordings.kind.press")
                        : t.format("recordings.kind.listen", r.requestedBy() == null ? t.get("unknown") : r.requestedBy());
                String gaps = r.gaps().isEmpty() ? t.get("recordings.gaps.none") : r.gaps().stream()
                        .map(g -> g.fromSeq() == g.toSeq() ? t.format("recordings.gap.one", g.fromSeq())
                                : t.format("recordings.gap.range", g.fromSeq(), g.toSeq()))
                        .collect(Collectors.joining(", "));
                rows.add(List.of(what, DeviceIds.format(r.deviceId()), t.time(r.start()), t.duration(r.received()),
                        String.valueOf(r.frames()), gaps, t.get(r.ended() ? "recordings.ended" : "recordings.cut")));
                tones.add(r.gaps().isEmpty() ? Tone.NORMAL : Tone.BAD);
            }
            blocks.add(table(List.of(t.get("recordings.what"), t.get("recordings.device"), t.get("recordings.start"),
                    t.get("recordings.duration"), t.get("recordings.frames"), t.get("recordings.gaps"),
                    t.get("recordings.end")), rows, tones, 1.6, 1.5, 2, 0.9, 0.7, 1.6, 1.2));
            blocks.add(new ReportDocument.Paragraph(t.get("recordings.note"), Tone.MUTED));
        }
        if (h.listens().isEmpty() && h.listened().isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("listens.none"), Tone.MUTED));
            return;
        }
        for (AlertHistory.ListenRequest l : h.listens()) {
            blocks.add(new ReportDocument.Paragraph(t.format("listens.sent", l.by(), t.time(l.time()),
                    t.duration(java.time.Duration.ofSeconds(l.seconds())), DeviceIds.format(l.deviceId()), l.sequence()),
                    Tone.NORMAL));
        }
        for (AlertHistory.ListeningSession l : h.listened()) {
            String how = t.get(l.joined() ? "listened.joined" : "listened.listen");
            blocks.add(new ReportDocument.Paragraph(l.end() == null
                    ? t.format("listened.open", l.operator(), t.time(l.start()), how, DeviceIds.format(l.deviceId()),
                            l.sequence())
                    : t.format("listened.ended", l.operator(), t.time(l.start()),
                            t.duration(java.time.Duration.between(l.start(), l.end())),
                            t.get("listened.end." + l.endReason()), how, DeviceIds.format(l.deviceId()), l.sequence()),
                    Tone.NORMAL));
        }
    }

    private void deliveries() {
        blocks.add(new ReportDocument.Heading(t.get("deliveries.title")));
        if (h.deliveries().isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("deliveries.none"), Tone.BAD));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        List<Tone> tones = new ArrayList<>();
        for (AlertHistory.DeliveryAttempt d : h.deliveries()) {
            rows.add(List.of(t.time(d.time()), item(d.item()), d.target(), String.valueOf(d.attempt()),
                    t.get(d.delivered() ? "outcome.delivered" : "outcome.failed"), d.detail()));
            tones.add(d.delivered() ? Tone.NORMAL : Tone.BAD);
        }
        blocks.add(table(List.of(t.get("deliveries.time"), t.get("deliveries.item"), t.get("deliveries.target"),
                t.get("deliveries.attempt"), t.get("deliveries.outcome"), t.get("deliveries.detail")), rows, tones,
                2, 1.2, 1.6, 0.7, 1, 2.2));
    }

    private void escalations() {
        blocks.add(new ReportDocument.Heading(t.get("escalations.title")));
        if (h.escalations().isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("escalations.none"), Tone.MUTED));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (AlertHistory.Escalation e : h.escalations()) {
            rows.add(List.of(t.time(e.time()), t.duration(Duration.between(h.press().receiveTime(), e.time())), e.route(),
                    e.reason()));
        }
        blocks.add(table(List.of(t.get("timeline.time"), t.get("timeline.sincePress"), t.get("escalations.route"),
                t.get("escalations.reason")), rows, null, 2, 1, 1.6, 3));
    }

    private void shed() {
        if (h.shed().isEmpty()) {
            return; // rare; a heading with "none" on every report would only be noise
        }
        blocks.add(new ReportDocument.Heading(t.get("shed.title")));
        List<List<String>> rows = new ArrayList<>();
        for (AlertHistory.Shed s : h.shed()) {
            rows.add(List.of(t.time(s.time()), item(s.item()), s.reason()));
        }
        blocks.add(table(List.of(t.get("deliveries.time"), t.get("deliveries.item"), t.get("shed.reason")), rows, null,
                2, 1.2, 4));
    }

    private void track() {
        blocks.add(new ReportDocument.Heading(t.get("track.title")));
        List<TrackPlot.Fix> fixes = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<Tone> tones = new ArrayList<>();
        int n = 0;
        for (AlertHistory.TrackPoint p : h.track()) {
            n++;
            if (p.hasFix()) {
                fixes.add(new TrackPlot.Fix(n, p.latitude(), p.longitude(), p.accuracyM() == null ? 0 : p.accuracyM()));
            }
            rows.add(List.of(String.valueOf(n), t.get("track.kind." + p.kind()), t.time(p.receiveTime()),
                    p.hasFix() ? coordinate(p.latitude()) : t.get("track.nofix"),
                    p.hasFix() ? coordinate(p.longitude()) : "",
                    p.accuracyM() == null ? t.get("unknown") : p.accuracyM() + " m",
                    p.fixAgeS() == null ? t.get("unknown") : t.duration(Duration.ofSeconds(p.fixAgeS())),
                    t.get("source." + p.source().name())));
            tones.add(p.hasFix() ? Tone.NORMAL : Tone.MUTED);
        }
        if (fixes.isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("track.none"), Tone.BAD));
        } else {
            TrackPlot plot = TrackPlot.of(fixes, PLOT_WIDTH, PLOT_HEIGHT);
            blocks.add(new ReportDocument.Plot(plot, t.get("plot.caption"), t.get("plot.north"),
                    TrackPlot.label(plot.scaleBar.metres())));
        }
        if (!rows.isEmpty()) {
            blocks.add(table(List.of(t.get("track.number"), t.get("track.kind"), t.get("track.receiveTime"),
                    t.get("track.latitude"), t.get("track.longitude"), t.get("track.accuracy"), t.get("track.fixAge"),
                    t.get("track.source")), rows, tones, 0.35, 0.8, 2.0, 1.2, 1.2, 1.3, 0.9, 0.9));
        }
    }

    /**
     * A device time as the report shows it: as sent when it is usable; else the receive time, saying the
     * device clock was wrong (DESIGN.md's rule on device times): never a raw impossible date.
     */
    private String deviceTime(Instant device, Instant received) {
        if (DeviceClock.wrong(device.toEpochMilli(), received.toEpochMilli())) {
            return t.format("time.clockWrong", t.time(received));
        }
        return t.time(device);
    }

    private void cancel() {
        blocks.add(new ReportDocument.Heading(t.get("cancel.title")));
        if (h.cancels().isEmpty()) {
            blocks.add(new ReportDocument.Paragraph(t.get("cancel.none"), Tone.NORMAL));
            return;
        }
        for (AlertHistory.Cancel c : h.cancels()) {
            blocks.add(new ReportDocument.Paragraph(t.format("cancel.sent", t.time(c.receiveTime()),
                    deviceTime(c.deviceTime(), c.receiveTime()), c.sequence()), Tone.NORMAL));
        }
        blocks.add(new ReportDocument.Paragraph(t.get("cancel.note"), Tone.BAD));
    }

    private static ReportDocument.Table table(List<String> headers, List<List<String>> rows, List<Tone> tones,
                                              double... weights) {
        List<Tone> all = tones != null ? tones : rows.stream().map(r -> Tone.NORMAL).toList();
        return new ReportDocument.Table(headers, rows, all, weights);
    }

    private String item(AlertHistory.ItemKind kind) {
        return kind == null ? t.get("unknown") : t.get("item." + kind.name().toLowerCase(Locale.ROOT));
    }

    private String orNone(String value) {
        return value == null || value.isBlank() ? "(" + t.get("none") + ")" : value;
    }

    private static String region(nl.aware.core.event.Region region) {
        return switch (region) {
            case IJSSELLAND -> "IJsselland";
            case TWENTE -> "Twente";
        };
    }

    /** Degrees with 7 decimals (the device's precision) and a dot, so it can be pasted into any map. */
    private static String coordinate(double degrees) {
        return String.format(Locale.ROOT, "%.7f", degrees);
    }
}
