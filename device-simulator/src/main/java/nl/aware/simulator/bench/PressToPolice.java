package nl.aware.simulator.bench;

import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A steady PANIC rate, round-robin over N devices, over mutual TLS to the server (in process, or its
 * own process: then its CPU seconds and RSS per press are reported) with the durable log, dispatched to the simulated control rooms, which close each alert through the
 * lifecycle callbacks so that a device's next press is (mostly) a new alert again.
 */
final class PressToPolice {
    static final double P99_TARGET_MS = 5;
    static final double P999_TARGET_MS = 20;

    /**
     * A press brings at most one alert, and an alert three ALERT_STATUS commands, each answered with a signed result;
     * a quarter more for the commands of the warm-up's last alerts, answered in the measured phase.
     */
    private static final double SIGNATURES_PER_PRESS_AT_MOST = 4 * 1.25;

    private PressToPolice() {
    }

    /** Nonces for the measured phase's signatures: presses and the devices' answers to the alerts' commands. */
    static int nonceBudget(BenchCommand o) {
        double signatures = o.rate * o.duration.toNanos() / 1e9 * SIGNATURES_PER_PRESS_AT_MOST;
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.ceil(signatures));
    }

    static Result run(BenchCommand o, PrintWriter out) throws Exception {
        Result result = new Result("press-to-police");
        result.parameters.put("rate_per_s", o.rate);
        result.parameters.put("devices", o.devices);
        result.parameters.put("warmup_s", o.warmup.toMillis() / 1000.0);
        result.parameters.put("duration_s", o.duration.toMillis() / 1000.0);
        result.parameters.put("lifecycle_scale", o.lifecycleScale);
        result.parameters.put("server_process", o.serverProcess);
        if (o.serverProcess) {
            result.parameters.put("server_allocator", o.serverAllocator.label());
        }
        result.parameters.put("device_signing", o.inlineSigning ? "inline" : "nonces made before the run");
        result.target = "press->police p99 <= 5 ms, p99.9 <= 20 ms";

        Arrivals arrivals = new Arrivals();
        Latency ack = new Latency("press->ACK");
        Latency police = new Latency("press->police");
        Latency newAlerts = new Latency("  new alert");
        Latency repeated = new Latency("  repeated press");
        Map<UUID, Long> measured = new ConcurrentHashMap<>();
        LongAdder sent = new LongAdder();
        LongAdder acked = new LongAdder();
        LongAdder nacked = new LongAdder();
        BenchDevice.Listener listener = (device, s, answer, now) -> {
            if (answer instanceof ServerFrame.Ack a) {
                acked.increment();
                if (s.measured()) {
                    ack.record(now - s.pressNanos());
                    measured.put(a.eventId(), s.pressNanos());
                }
            } else {
                nacked.increment();
            }
        };
        PresignedNonces nonces = o.inlineSigning ? null : PresignedNonces.make(nonceBudget(o), "press-to-police", out);
        try (Deployment d = Deployment.start(o, o.lifecycleScale, arrivals, o.devices)) {
            long setup = System.nanoTime();
            List<BenchDevice> devices = d.addDevices(o.devices, listener);
            devices.forEach(BenchDevice::answerCommands); // ALERT_STATUS feedback is answered, as by real devices
            if (nonces != null) {
                devices.forEach(device -> device.signWith(nonces));
            }
            out.printf(Locale.ROOT, "press-to-police: %d devices enrolled and connected over mutual TLS in %.1f s; "
                    + "%.0f PANIC/s round-robin, warm-up %s, measured %s%n", devices.size(),
                    (System.nanoTime() - setup) / 1e9, o.rate, o.warmup, o.duration);
            out.flush();
            long start = System.nanoTime() + 50_000_000L;
            long measureFrom = start + o.warmup.toNanos();
            long end = measureFrom + o.duration.toNanos();
            if (nonces != null) {
                nonces.open(measureFrom, end);
            }
            AtomicInteger next = new AtomicInteger();
            Thread pacer = Run.pace("bench-pacer", o.rate, start, end, t -> {
                devices.get(Math.floorMod(next.getAndIncrement(), devices.size())).press(FrameType.PANIC, t, t - measureFrom >= 0);
                sent.increment();
            });
            var cpuAtStart = Run.at(measureFrom, d::serverCpuSeconds);
            var harnessPausesAtStart = Run.at(measureFrom, HarnessPauses::count);
            var harnessPauseMillisAtStart = Run.at(measureFrom, HarnessPauses::millis);
            Run.progress(out, "press-to-police", start, end, sent, acked, () -> false);
            pacer.join();
            double cpuSeconds = d.serverCpuSeconds() - cpuAtStart.get();
            double rss = d.serverRssMib();
            long harnessPauses = Math.round(HarnessPauses.count() - harnessPausesAtStart.get());
            long harnessPauseMillis = Math.round(HarnessPauses.millis() - harnessPauseMillisAtStart.get());
            Run.await(() -> acked.sum() + nacked.sum() >= sent.sum(), 10_000);
            Run.await(() -> measured.keySet().stream().allMatch(id -> arrivals.at(id) != null), 15_000);
            long missing = 0;
            for (Map.Entry<UUID, Long> e : measured.entrySet()) {
                Long at = arrivals.at(e.getKey());
                if (at == null) {
                    missing++;
                    continue;
                }
                long latency = at - e.getValue();
                police.record(latency);
                (arrivals.newAlert(e.getKey()) ? newAlerts : repeated).record(latency);
            }
            double seconds = o.duration.toNanos() / 1e9;
            result.latency(ack).latency(police).latency(newAlerts).latency(repeated);
            result.figures.put("presses_sent", sent.sum());
            result.figures.put("presses_acked", acked.sum());
            result.figures.put("nacks", nacked.sum());
            long resultsAcked = devices.stream().mapToLong(BenchDevice::commandResultsAcked).sum();
            long resultsRefused = devices.stream().mapToLong(BenchDevice::commandResultsRefused).sum();
            result.figures.put("command_results_acked", resultsAcked);
            result.figures.put("command_results_nacked", resultsRefused);
            result.figures.put("measured_presses_acked", measured.size());
            result.figures.put("measured_presses_at_police", measured.size() - missing);
            result.figures.put("measured_presses_missing_at_police", missing);
            result.figures.put("throughput_acked_per_s", Math.round(ack.count() / seconds * 10) / 10.0);
            result.figures.put("throughput_at_police_per_s", Math.round(police.count() / seconds * 10) / 10.0);
            result.figures.put("police_duplicates", d.police.duplicates());
            long noncesUsed = nonces == null ? 0 : nonces.used();
            long signedWhole = nonces == null ? 0 : nonces.shortfall();
            if (nonces != null) {
                result.figures.put("nonces_made", nonces.size());
                result.figures.put("nonces_used", noncesUsed);
                result.figures.put("signatures_made_whole_after_nonces_ran_out", signedWhole);
                if (signedWhole > 0) {
                    result.notes.add("the nonces made before the run ran out: " + signedWhole
                            + " signatures of the measured phase were made whole, on the harness's cores");
                }
            }
            result.figures.put("harness_gc_pauses", harnessPauses);
            result.figures.put("harness_gc_pause_ms", harnessPauseMillis);
            double cpuPerPress = cpuSeconds * 1000 / Math.max(1, measured.size());
            if (d.separate != null) {
                result.figures.put("server_cpu_s_measured", Math.round(cpuSeconds * 100) / 100.0);
                result.figures.put("server_cpu_ms_per_press", Math.round(cpuPerPress * 1000) / 1000.0);
                result.figures.put("server_rss_mib", Math.round(rss * 10) / 10.0);
            }
            double p99 = police.p(99);
            double p999 = police.p(99.9);
            result.met = missing == 0 && p99 <= P99_TARGET_MS && p999 <= P999_TARGET_MS;
            result.failed = nacked.sum() > 0 || acked.sum() < sent.sum() || d.police.duplicates() > 0;
            if (missing > 0) {
                result.notes.add(missing + " measured presses did not reach the police within 15 s after the run");
            }
            result.summary = String.format(Locale.ROOT,
                    "press->police p50 %.2f / p99 %.2f / p99.9 %.2f / max %.2f ms; press->ACK p50 %.2f / p99 %.2f ms; "
                            + "%.0f presses/s at police (%d new alerts, %d repeated)",
                    police.p(50), p99, p999, police.snapshot().getMaxValue() / 1e6, ack.p(50), ack.p(99),
                    police.count() / seconds, newAlerts.count(), repeated.count());
            if (d.separate != null) {
                result.summary += String.format(Locale.ROOT, "; server process alone: %.3f ms CPU per press (%.1f s in the "
                        + "measured phase), RSS %.0f MiB, allocator %s", cpuPerPress, cpuSeconds, rss, o.serverAllocator.label());
                out.printf(Locale.ROOT, "server process (pid %d, %s): CPU %.2f s in the measured phase, %.3f ms per "
                        + "press; RSS %.0f MiB%n", d.separate.pid(), o.serverAllocator.label(), cpuSeconds, cpuPerPress, rss);
            }
            out.printf(Locale.ROOT, "%s: %d GC pauses, %d ms in the measured phase (%.1f %%); presses in flight then "
                    + "carry them%n", d.separate != null ? "harness JVM (devices, control rooms, police)"
                    : "benchmark JVM (server, devices, control rooms, police)", harnessPauses, harnessPauseMillis,
                    harnessPauseMillis / (seconds * 10));
            out.println(ack.line());
            out.println(police.line());
            out.println(newAlerts.line());
            out.println(repeated.line());
            out.printf(Locale.ROOT, "throughput: %.1f presses/s ACKed, %.1f/s at the police; NACKs %d; not at police %d; "
                            + "police duplicates %d%n", ack.count() / seconds, police.count() / seconds, nacked.sum(), missing,
                    d.police.duplicates());
            out.printf(Locale.ROOT, "devices answered the server's commands: %d COMMAND_RESULTs ACKed, %d NACKed%n",
                    resultsAcked, resultsRefused);
            if (nonces != null) {
                out.printf(Locale.ROOT, "device signatures: %d of %d nonces made before the run used; %d made whole after "
                        + "they ran out%n", noncesUsed, nonces.size(), signedWhole);
            }
        }
        return result;
    }
}
