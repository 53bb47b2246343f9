package nl.aware.simulator.bench;

import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.DecodedLog;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Durable ingest: pipelined PANIC frames (several in flight per connection, closed loop: each ACK
 * sends the next) to a gateway-only server (no dispatch: alarms are recorded, not forwarded), then the
 * log is read back and every ACKed press must be in it under the event id the device was given.
 * Frames are signed before the run so the devices' signing does not compete with the server for the
 * two cores; the server still verifies every signature.
 */
final class Ingest {
    static final double TARGET_PER_S = 10_000;

    private record Acked(long deviceId, long counter, UUID eventId) {
    }

    private record Key(long deviceId, long counter) {
    }

    private Ingest() {
    }

    static Result run(BenchCommand o, PrintWriter out) throws Exception {
        Result result = new Result("ingest");
        double warmup = o.warmup.toMillis() / 1000.0;
        double duration = o.duration.toMillis() / 1000.0;
        long budget = o.frames > 0 ? o.frames : (long) (TARGET_PER_S * 1.2 * (warmup + duration));
        result.parameters.put("connections", o.connections);
        result.parameters.put("pipeline_per_connection", o.pipeline);
        result.parameters.put("presigned_frames", budget);
        result.parameters.put("warmup_s", warmup);
        result.parameters.put("duration_s", duration);
        result.parameters.put("server", "gateway only (ServerSetup.gatewayOnly): durable log, no dispatch");
        result.target = ">= 10,000 PANIC/s ACKed durably, every ACKed press in the log";

        Latency ack = new Latency("send->ACK");
        LongAdder sent = new LongAdder();
        LongAdder acked = new LongAdder();
        LongAdder nacked = new LongAdder();
        LongAdder measuredAcks = new LongAdder();
        AtomicLong lastMeasuredAck = new AtomicLong();
        Queue<Acked> allAcked = new ConcurrentLinkedQueue<>();
        long[] window = new long[2]; // measureFrom, end (set before the first frame is sent)
        Map<Long, DeviceFrame[]> frames = new HashMap<>();
        Map<Long, int[]> cursor = new HashMap<>();
        boolean[] stopped = {false};

        try (Deployment d = Deployment.start(false, 0, null)) {
            BenchDevice.Listener listener = new BenchDevice.Listener() {
                @Override
                public void answered(BenchDevice device, BenchDevice.Sent s, ServerFrame answer, long now) {
                    if (answer instanceof ServerFrame.Ack a) {
                        acked.increment();
                        allAcked.add(new Acked(a.deviceId(), a.counter(), a.eventId()));
                        if (now - window[0] >= 0 && now - window[1] <= 0) {
                            measuredAcks.increment();
                            lastMeasuredAck.accumulateAndGet(now, Math::max);
                        }
                        if (s.measured()) {
                            ack.record(now - s.pressNanos());
                        }
                    } else {
                        nacked.increment();
                    }
                    sendNext(device, now);
                }

                private void sendNext(BenchDevice device, long now) {
                    if (stopped[0] || now - window[1] > 0) {
                        return;
                    }
                    DeviceFrame[] own = frames.get(device.deviceId());
                    int[] at = cursor.get(device.deviceId());
                    if (at[0] < own.length) {
                        device.sendNow(own[at[0]++], now, now - window[0] >= 0);
                        sent.increment();
                    }
                }
            };
            List<BenchDevice> devices = d.addDevices(o.connections, listener);
            int perDevice = (int) Math.ceil((double) budget / devices.size());
            long signing = System.nanoTime();
            List<DeviceFrame[]> signed = IntStream.range(0, devices.size()).parallel().mapToObj(i -> {
                DeviceFrame[] own = new DeviceFrame[perDevice];
                for (int k = 0; k < perDevice; k++) {
                    own[k] = devices.get(i).sign(FrameType.PANIC);
                }
                return own;
            }).toList();
            for (int i = 0; i < devices.size(); i++) {
                frames.put(devices.get(i).deviceId(), signed.get(i));
                cursor.put(devices.get(i).deviceId(), new int[1]);
            }
            double signSeconds = (System.nanoTime() - signing) / 1e9;
            out.printf(Locale.ROOT, "ingest: %d connections, %d frames in flight each; %d PANIC frames signed in %.1f s "
                    + "(%.0f µs each on %d threads); warm-up %s, measured %s%n", devices.size(), o.pipeline,
                    (long) perDevice * devices.size(), signSeconds, signSeconds * 1e6 / ((long) perDevice * devices.size())
                            * Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors(),
                    o.warmup, o.duration);
            out.flush();

            long start = System.nanoTime();
            window[0] = start + o.warmup.toNanos();
            window[1] = window[0] + o.duration.toNanos();
            for (BenchDevice device : devices) {
                device.channel().eventLoop().execute(() -> {
                    DeviceFrame[] own = frames.get(device.deviceId());
                    int[] at = cursor.get(device.deviceId());
                    long now = System.nanoTime();
                    for (int k = 0; k < o.pipeline && at[0] < own.length; k++) {
                        device.sendNow(own[at[0]++], now, false);
                        sent.increment();
                    }
                });
            }
            Run.progress(out, "ingest", start, window[1], sent, acked, () -> false);
            for (BenchDevice device : devices) {
                device.channel().eventLoop().execute(() -> stopped[0] = true);
            }
            boolean settled = Run.await(() -> acked.sum() + nacked.sum() >= sent.sum(), 15_000);
            long windowEnd = Math.min(window[1], Math.max(lastMeasuredAck.get(), window[0] + 1));
            double seconds = (windowEnd - window[0]) / 1e9;
            double throughput = measuredAcks.sum() / seconds;
            boolean ranOut = cursor.entrySet().stream().allMatch(e -> e.getValue()[0] >= frames.get(e.getKey()).length);

            d.stopServer();
            Map<Key, UUID> inLog = new HashMap<>();
            DecodedLog.Result read = DecodedLog.read(d.data.log(), new EventCodec(d.keys), (record, event) -> {
                if (event instanceof Event.FrameAccepted e && e.frame().type() == FrameType.PANIC) {
                    inLog.put(new Key(e.frame().deviceId(), e.frame().counter()), e.eventId());
                }
            });
            VerifyResult verify = read.verification();
            long missing = allAcked.stream()
                    .filter(a -> !a.eventId().equals(inLog.get(new Key(a.deviceId(), a.counter())))).count();

            result.latency(ack);
            result.figures.put("throughput_acked_per_s", Math.round(throughput));
            result.figures.put("measured_seconds", Math.round(seconds * 100) / 100.0);
            result.figures.put("frames_sent", sent.sum());
            result.figures.put("acked", acked.sum());
            result.figures.put("nacks", nacked.sum());
            result.figures.put("all_answered", settled);
            result.figures.put("acked_missing_from_log", missing);
            result.figures.put("log_panic_records", inLog.size());
            result.figures.put("log_intact", read.intact());
            result.figures.put("device_signing_us_per_frame_per_thread", Math.round(signSeconds * 1e6
                    / ((long) perDevice * devices.size()) * Runtime.getRuntime().availableProcessors()));
            if (ranOut) {
                result.notes.add("the pre-signed frames ran out before the end of the measured phase; "
                        + "throughput is over the part of the phase that had frames");
            }
            result.failed = missing > 0 || !read.intact();
            result.met = !result.failed && throughput >= TARGET_PER_S;
            result.summary = String.format(Locale.ROOT, "%.0f PANIC/s ACKed (%d conns × %d in flight); send->ACK p50 %.2f "
                            + "/ p99 %.2f / p99.9 %.2f / max %.2f ms; ACKed in log: %d of %d, log verifies: %s",
                    throughput, o.connections, o.pipeline, ack.p(50), ack.p(99), ack.p(99.9),
                    ack.snapshot().getMaxValue() / 1e6, allAcked.size() - missing, allAcked.size(),
                    verify.intact() ? "yes" : "NO");
            out.println(ack.line());
            out.printf(Locale.ROOT, "throughput: %.0f PANIC/s ACKed over %.1f s; NACKs %d; ACKed presses in the log: "
                            + "%d of %d; log verifies: %s (%d records)%n", throughput, seconds, nacked.sum(),
                    allAcked.size() - missing, allAcked.size(), verify.intact() ? "yes" : "NO", verify.records());
        }
        return result;
    }
}
