package nl.aware.simulator.bench;

import nl.aware.core.event.Region;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.simulator.controlroom.SimulatedControlRoom;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Panic first: PANIC press→police p99 with slow control rooms (every answer delayed), first alone,
 * then under a flood of LOCATION (alert updates), TEST (test alerts) and STATUS (Kadera notices) at
 * {@code floodFactor} × the PANIC rate. Each PANIC comes from a device that has not pressed before, so
 * every measured press is a new alert; the flood devices each opened an alert before the run (no
 * lifecycle: alerts stay open) so that their LOCATION frames are real alert updates for the police.
 */
final class Priority {
    static final double TARGET_RATIO = 1.5;
    private static final FrameType[] FLOOD = {FrameType.LOCATION, FrameType.TEST, FrameType.STATUS};

    private Priority() {
    }

    static Result run(BenchCommand o, PrintWriter out) throws Exception {
        Result result = new Result("priority");
        double warmup = o.warmup.toMillis() / 1000.0;
        double duration = o.duration.toMillis() / 1000.0;
        double floodRate = o.panicRate * o.floodFactor;
        int panicDevices = (int) Math.ceil(o.panicRate * (2 * warmup + 2 * duration)) + 20;
        result.parameters.put("panic_rate_per_s", o.panicRate);
        result.parameters.put("flood_rate_per_s", floodRate);
        result.parameters.put("flood_mix", "LOCATION, TEST, STATUS in turn");
        result.parameters.put("flood_devices", o.floodDevices);
        result.parameters.put("panic_devices", panicDevices);
        result.parameters.put("control_room_response_delay_ms", o.responseDelay.toMillis());
        result.parameters.put("server_process", o.serverProcess);
        if (o.serverProcess) {
            result.parameters.put("server_allocator", o.serverAllocator.label());
        }
        result.parameters.put("warmup_s", warmup);
        result.parameters.put("duration_s", duration);
        result.target = "PANIC press->police p99 under flood / alone <= 1.5";

        Arrivals arrivals = new Arrivals();
        Map<UUID, Long> phase = new ConcurrentHashMap<>();
        LongAdder sent = new LongAdder();
        LongAdder acked = new LongAdder();
        LongAdder nacked = new LongAdder();
        LongAdder floodAcked = new LongAdder();
        BenchDevice.Listener listener = (device, s, answer, now) -> {
            if (answer instanceof ServerFrame.Ack a) {
                acked.increment();
                if (s.frame().type() != FrameType.PANIC) {
                    floodAcked.increment();
                } else if (s.measured()) {
                    phase.put(a.eventId(), s.pressNanos());
                }
            } else {
                nacked.increment();
            }
        };
        try (Deployment d = Deployment.start(o, 0, arrivals, o.floodDevices + panicDevices)) {
            List<BenchDevice> flood = d.addDevices(o.floodDevices, listener);
            long now0 = System.nanoTime();
            flood.forEach(device -> {
                device.press(FrameType.PANIC, now0, false);
                sent.increment();
            });
            if (!Run.await(() -> arrivals.count() >= flood.size() && d.owedDispatchWork() <= 0, 30_000)) {
                throw new IllegalStateException("the flood devices' alerts did not all reach the police");
            }
            List<BenchDevice> panics = d.addDevices(panicDevices, listener);
            for (Region region : Region.values()) {
                d.police.room(region).responseDelay(o.responseDelay);
            }
            d.police.kadera().responseDelay(o.responseDelay);
            out.printf(Locale.ROOT, "priority: %d PANIC devices (one press each), %d flood devices with open alerts; "
                            + "control rooms and Kadera answer after %d ms; PANIC %.0f/s, flood %.0f/s%n", panics.size(),
                    flood.size(), o.responseDelay.toMillis(), o.panicRate, floodRate);
            out.flush();
            AtomicInteger nextPanic = new AtomicInteger();

            // Phase 1: PANIC alone.
            Latency alone = phase(o, out, "alone", d, arrivals, phase, panics, nextPanic, sent, acked, null, 0);
            phase.clear();
            // Phase 2: the same PANIC rate under the flood (the flood starts a warm-up earlier and runs to the end).
            long requestsBefore = policeRequests(d);
            Latency flooded = phase(o, out, "under flood", d, arrivals, phase, panics, nextPanic, sent, acked, flood,
                    floodRate);
            long requests = policeRequests(d) - requestsBefore;

            double p99Alone = alone.p(99);
            double p99Flood = flooded.p(99);
            double ratio = p99Flood / p99Alone;
            result.latency(alone).latency(flooded);
            result.figures.put("p99_alone_ms", p99Alone);
            result.figures.put("p99_flood_ms", p99Flood);
            result.figures.put("ratio", Math.round(ratio * 100) / 100.0);
            result.figures.put("flood_frames_acked", floodAcked.sum());
            result.figures.put("receiver_requests_during_flood_phase", requests);
            int owed = d.owedDispatchWork();
            if (owed >= 0) { // a separate server does not tell
                result.figures.put("dispatch_owed_at_end", owed);
            }
            result.figures.put("nacks", nacked.sum());
            result.figures.put("throughput_panic_at_police_per_s", Math.round(flooded.count() / duration * 10) / 10.0);
            result.met = alone.count() > 0 && flooded.count() > 0 && ratio <= TARGET_RATIO;
            result.failed = nacked.sum() > 0;
            result.summary = String.format(Locale.ROOT, "PANIC press->police p99 alone %.2f ms, under %.0f/s flood %.2f ms "
                            + "(ratio %.2f); p50 %.2f / %.2f, p99.9 %.2f / %.2f, max %.2f / %.2f ms; response delay %d ms",
                    p99Alone, floodRate, p99Flood, ratio, alone.p(50), flooded.p(50), alone.p(99.9), flooded.p(99.9),
                    alone.snapshot().getMaxValue() / 1e6, flooded.snapshot().getMaxValue() / 1e6, o.responseDelay.toMillis());
            out.println(alone.line());
            out.println(flooded.line());
            out.printf(Locale.ROOT, "p99 ratio (flood / alone): %.2f; flood frames ACKed %d; receiver requests in the flood "
                    + "phase %d; dispatch work still owed %s%n", ratio, floodAcked.sum(), requests,
                    owed >= 0 ? Integer.toString(owed) : "unknown (server process)");
        }
        return result;
    }

    private static long policeRequests(Deployment d) {
        long n = d.police.kadera().requests();
        for (Region region : Region.values()) {
            SimulatedControlRoom room = d.police.room(region);
            n += room.requests();
        }
        return n;
    }

    private static Latency phase(BenchCommand o, PrintWriter out, String name, Deployment d, Arrivals arrivals,
                                 Map<UUID, Long> phase, List<BenchDevice> panics, AtomicInteger nextPanic,
                                 LongAdder sent, LongAdder acked, List<BenchDevice> flood, double floodRate)
            throws InterruptedException {
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + o.warmup.toNanos();
        long end = measureFrom + o.duration.toNanos();
        Thread floodPacer = null;
        if (flood != null) {
            AtomicInteger next = new AtomicInteger();
            floodPacer = Run.pace("bench-flood", floodRate, start, end, t -> {
                int i = next.getAndIncrement();
                flood.get(Math.floorMod(i, flood.size())).press(FLOOD[Math.floorMod(i / flood.size(), FLOOD.length)], t, false);
                sent.increment();
            });
        }
        // PANIC alone warms up during the warm-up too; under flood the PANIC presses start after it.
        long panicStart = flood == null ? start : measureFrom;
        Thread panicPacer = Run.pace("bench-panic", o.panicRate, panicStart, end, t -> {
            int i = nextPanic.getAndIncrement();
            if (i < panics.size()) {
                panics.get(i).press(FrameType.PANIC, t, t - measureFrom >= 0);
                sent.increment();
            }
        });
        Run.progress(out, name, start, end, sent, acked, () -> false);
        panicPacer.join();
        if (floodPacer != null) {
            floodPacer.join();
        }
        Run.await(() -> phase.keySet().stream().allMatch(id -> arrivals.at(id) != null), 20_000);
        Latency latency = new Latency("PANIC " + name);
        long missing = 0;
        for (Map.Entry<UUID, Long> e : phase.entrySet()) {
            Long at = arrivals.at(e.getKey());
            if (at == null) {
                missing++;
            } else {
                latency.record(at - e.getValue());
            }
        }
        if (missing > 0) {
            out.printf("  %s: %d PANIC presses not at the police 20 s after the phase%n", name, missing);
        }
        return latency;
    }

    static Duration defaultDelay() {
        return Duration.ofMillis(200);
    }
}
