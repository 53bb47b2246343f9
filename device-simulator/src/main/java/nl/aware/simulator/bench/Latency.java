package nl.aware.simulator.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A latency series in nanoseconds, recorded from any thread (HdrHistogram {@link Recorder}, 3 digits). */
final class Latency {
    private final String name;
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    Latency(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /** count, p50, p90, p99, p99.9, max (ms). */
    Map<String, Object> summary() {
        Histogram h = snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50)));
        m.put("p90", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(90)));
        m.put("p99", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99)));
        m.put("p99_9", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99.9)));
        m.put("max", ms(h.getMaxValue()));
        return m;
    }

    double p(double percentile) {
        Histogram h = snapshot();
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    long count() {
        return snapshot().getTotalCount();
    }

    String line() {
        Map<String, Object> s = summary();
        return String.format(Locale.ROOT, "%-16s n=%-7d p50 %7.2f  p90 %7.2f  p99 %7.2f  p99.9 %7.2f  max %7.2f ms",
                name, (Long) s.get("count"), s.get("p50"), s.get("p90"), s.get("p99"), s.get("p99_9"), s.get("max"));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
