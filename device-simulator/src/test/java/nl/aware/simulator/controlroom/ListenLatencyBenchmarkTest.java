package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's listening row: AUDIO frame received -> sent to the operator's console. A real server (durable log,
 * mutual TLS 1.3 for the devices, the staff server's HTTPS for the consoles); N operators of IJsselland
 * ({@code -Daware.bench.listen.consoles}, default 10), each listening live to the alert of its own device. Each
 * device presses and sends the sound of its press (its carrier agreed to recording) in real time: a frame of up to
 * 20 Opus packets of 20 ms of real speech (400 ms), the next one when that much sound has passed, each ACKed
 * before the next (as the simulator's devices, 2.5 frames/s). Once every console's audio stream is open, the
 * measured phase runs {@code -Daware.bench.listen.seconds} (default 10; 60 for the documented run).
 *
 * <p>Two figures: (a) frame sent by the device -> its event read off the console's stream (same JVM, nanoTime,
 * matched by device and seq), the whole path an operator hears; (b) the server's own timer,
 * {@code aware_listen_delivery_seconds}, receipt by the server -> event written for the console, read as
 * Prometheus buckets and computed for the measured phase as Prometheus' histogram_quantile does. Asserted is only
 * what holds on any machine: every frame ACKed, each console gets its device's frames exactly once and in seq
 * order from the moment it joined to the last one sent, and the server's timer counts exactly the frames written
 * to the consoles. Speed is logged and written to target/benchmarks/listen-latency.json, not asserted.
 */
class ListenLatencyBenchmarkTest {
    private static final Logger log = LoggerFactory.getLogger(ListenLatencyBenchmarkTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long FIRST_DEVICE = 0x00000000be140001L;
    private static final Pattern BUCKET = Pattern.compile(
            "^aware_listen_delivery_seconds_bucket\\{le=\"([^\"]+)\"} ([0-9.E+]+)$", Pattern.MULTILINE);
    private static final Pattern SUM = Pattern.compile("^aware_listen_delivery_seconds_sum ([0-9.E+-]+)$",
            Pattern.MULTILINE);

    @TempDir
    Path dir;
    private final TestAuthenticator totp = new TestAuthenticator(Clock.systemUTC());
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<EventStreamClient> streams = new ArrayList<>();
    private final List<SpeakingDevice> devices = new ArrayList<>();
    private TestServer server;
    private ExecutorService speaking;

    @AfterEach
    void tearDown() {
        if (speaking != null) {
            speaking.shutdownNow();
        }
        streams.forEach(EventStreamClient::close);
        devices.forEach(SpeakingDevice::close);
        if (server != null) {
            server.close();
        }
    }

    /** What one device sent: each frame's send instant by seq, and whether it is still sending. */
    private static final class Sent {
        final Map<Long, Long> nanosBySeq = new ConcurrentHashMap<>();
        volatile long lastSeq = -1;
    }

    @Test
    void operatorsListeningLive_getEveryFrameOfTheirDeviceOnceInOrder_andTheServerTimesEach() throws Exception {
        int consoles = Integer.getInteger("aware.bench.listen.consoles", 10);
        int seconds = Integer.getInteger("aware.bench.listen.seconds", 10);
        server = TestServer.create(dir).meters(meters);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        server.staffApi(StaffApiSettings.loopback(0)).start();
        URI base = URI.create("https://localhost:" + server.server().staffApiAddress().getPort());
        StaffClient client = new StaffClient(base, server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < consoles; i++) {
            String operator = String.format("op-%02d", i);
            ObjectNode body = JSON.createObjectNode().put("username", operator).put("role", "operator")
                    .put("password", PASSWORD);
            body.putArray("regions").add("ijsselland");
            assertEquals(201, client.post("/staff/v1/accounts", admin, body).status());
            tokens.add(client.login(operator, PASSWORD.toCharArray(), totp.of(operator)));
        }

        // The devices press and speak; each operator joins the press stream of its own device.
        List<Sent> sent = new ArrayList<>();
        AtomicInteger acked = new AtomicInteger();
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE); // nanoTime; set when the measured phase starts
        speaking = Executors.newFixedThreadPool(consoles);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < consoles; i++) {
            SpeakingDevice device = SpeakingDevice.pressed(server, FIRST_DEVICE + i);
            devices.add(device);
            Sent record = new Sent();
            sent.add(record);
            done.add(speaking.submit(() -> {
                speak(device, record, acked, stopAt);
                return null;
            }));
        }
        long[] joinedNanos = new long[consoles];
        for (int i = 0; i < consoles; i++) {
            Sent record = sent.get(i);
            await().atMost(Duration.ofSeconds(30)).until(() -> record.lastSeq >= 1); // a running stream, to join
            UUID alert = devices.get(i).alertId();
            StaffClient.Reply started = client.post("/control/v1/alerts/" + alert + "/listen", tokens.get(i),
                    JSON.createObjectNode());
            assertEquals(200, started.status(), started.error());
            assertEquals("joined", started.body().path("source").asText(), "the device's press stream is running");
            EventStreamClient stream = new EventStreamClient(base.resolve("/control/v1/alerts/" + alert + "/audio"),
                    server.ca().certificate(), tokens.get(i), null);
            streams.add(stream);
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.named("state").isEmpty());
            joinedNanos[i] = System.nanoTime();
        }

        // The measured phase: every console is listening.
        String before = meters.scrape();
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long measureFrom = System.nanoTime();
        stopAt.set(measureFrom + TimeUnit.SECONDS.toNanos(seconds));
        for (Future<?> each : done) {
            each.get(seconds + 120L, TimeUnit.SECONDS); // every frame ACKed (checked in speak)
        }
        int frames = sent.stream().mapToInt(s -> s.nanosBySeq.size()).sum();
        assertEquals(frames, acked.get(), "every frame ACKed");
        for (int i = 0; i < consoles; i++) {
            EventStreamClient stream = streams.get(i);
            long last = sent.get(i).lastSeq;
            await().atMost(Duration.ofSeconds(60)).until(() -> !stream.named("audio").isEmpty()
                    && stream.named("audio").get(stream.named("audio").size() - 1).data().path("seq").asLong() >= last);
        }
        int written = streams.stream().mapToInt(s -> s.named("audio").size()).sum();
        await().atMost(Duration.ofSeconds(20)).until(() -> timerCount() >= written);
        String after = meters.scrape();
        double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        List<Long> sentToReadNanos = new ArrayList<>();
        for (int i = 0; i < consoles; i++) {
            List<EventStreamClient.Sse> audio = streams.get(i).named("audio");
            Sent record = sent.get(i);
            long firstAfterJoin = firstSentAfter(record, joinedNanos[i]);
            long first = audio.get(0).data().path("seq").asLong();
            assertTrue(first <= firstAfterJoin, "console " + i + ": every frame sent after it joined, from seq "
                    + firstAfterJoin + ", got from " + first);
            for (int k = 0; k < audio.size(); k++) {
                assertEquals(Long.toString(SpeakingDevice.STREAM), audio.get(k).data().path("stream").asText());
                assertEquals(first + k, audio.get(k).data().path("seq").asLong(),
                        "console " + i + ": once each, in seq order, none missing");
                long seq = first + k;
                Long sentNanos = record.nanosBySeq.get(seq);
                if (sentNanos != null && sentNanos >= measureFrom) {
                    sentToReadNanos.add(audio.get(k).atNanos() - sentNanos);
                }
            }
            assertEquals(record.lastSeq, first + audio.size() - 1, "console " + i + ": up to the last frame sent");
        }
        assertEquals(written, timerCount(), "the server timed each frame written to a console, once");
        assertFalse(sentToReadNanos.isEmpty());

        Map<Double, Double> window = bucketDelta(before, after);
        double windowCount = window.isEmpty() ? 0 : window.get(Double.POSITIVE_INFINITY);
        double windowSumS = sum(after) - sum(before);
        ObjectNode figures = JSON.createObjectNode()
                .put("when", Instant.now().toString()).put("consoles", consoles).put("seconds", seconds)
                .put("framesSent", frames).put("framesWrittenToConsoles", written)
                .put("framesMeasured", sentToReadNanos.size())
                .put("loadAverageBefore", loadBefore).put("loadAverageAfter", loadAfter);
        figures.putObject("deviceSentToConsoleReadMs")
                .put("p50", ms(percentile(sentToReadNanos, 50))).put("p99", ms(percentile(sentToReadNanos, 99)))
                .put("max", ms(percentile(sentToReadNanos, 100)));
        figures.putObject("serverReceivedToWrittenMs").put("count", (long) windowCount)
                .put("p50", quantile(window, 0.50) * 1000).put("p99", quantile(window, 0.99) * 1000)
                .put("mean", windowCount == 0 ? 0 : windowSumS / windowCount * 1000);
        log.info("listen benchmark: {} consoles, {} s measured, {} frames sent, {} written to consoles; device sent -> "
                        + "read by the console p50 {} / p99 {} / max {} ms ({} frames); server received -> written "
                        + "(aware_listen_delivery_seconds, the measured phase) p50 {} / p99 {} ms, mean {} ms ({} frames); "
                        + "load average {} -> {}", consoles, seconds, frames, written,
                ms(percentile(sentToReadNanos, 50)), ms(percentile(sentToReadNanos, 99)),
                ms(percentile(sentToReadNanos, 100)), sentToReadNanos.size(),
                String.format("%.2f", quantile(window, 0.50) * 1000), String.format("%.2f", quantile(window, 0.99) * 1000),
                String.format("%.2f", windowCount == 0 ? 0 : windowSumS / windowCount * 1000), (long) windowCount,
                loadBefore, loadAfter);
        Path out = Path.of("target", "benchmarks", "listen-latency.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    }

    /**
     * One device: a frame each time the sound it carries has passed (real time), each ACKed before the next (a
     * late ACK delays the next send, never the schedule), until the measured phase ends.
     */
    private static void speak(SpeakingDevice device, Sent record, AtomicInteger acked, AtomicLong stopAt)
            throws Exception {
        long startNanos = System.nanoTime();
        long soundMs = 0;
        while (true) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos(soundMs);
            if (stopAt.get() != Long.MAX_VALUE && due - stopAt.get() >= 0) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            DeviceFrame frame = device.nextFrame();
            long seq = frame.audio().seq();
            record.nanosBySeq.put(seq, System.nanoTime());
            device.send(frame);
            ServerFrame.Ack ack = device.nextAck(); // an AssertionError on a NACK or on silence
            assertEquals(frame.counter(), ack.counter());
            assertFalse(ack.duplicate());
            acked.incrementAndGet();
            record.lastSeq = seq;
            soundMs += frame.audio().durationMs();
        }
    }

    private static long firstSentAfter(Sent record, long nanos) {
        return record.nanosBySeq.entrySet().stream().filter(e -> e.getValue() - nanos >= 0)
                .mapToLong(Map.Entry::getKey).min().orElse(record.lastSeq + 1);
    }

    private long timerCount() {
        return meters.get("aware.listen.delivery").timer().count();
    }

    /** The measured phase's cumulative bucket counts, by upper bound in seconds: {@code after} less {@code before}. */
    private static Map<Double, Double> bucketDelta(String before, String after) {
        Map<Double, Double> counts = buckets(after);
        buckets(before).forEach((le, count) -> counts.merge(le, -count, Double::sum));
        return counts;
    }

    private static Map<Double, Double> buckets(String scrape) {
        Map<Double, Double> counts = new TreeMap<>();
        Matcher m = BUCKET.matcher(scrape);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            counts.put(le, Double.parseDouble(m.group(2)));
        }
        return counts;
    }

    private static double sum(String scrape) {
        Matcher m = SUM.matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** As Prometheus' histogram_quantile: the bucket holding the rank, linear within it (seconds). */
    private static double quantile(Map<Double, Double> cumulative, double q) {
        if (cumulative.isEmpty() || cumulative.get(Double.POSITIVE_INFINITY) == 0) {
            return 0;
        }
        double rank = q * cumulative.get(Double.POSITIVE_INFINITY);
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // above the largest bound: Prometheus answers that bound
                }
                double inBucket = bucket.getValue() - lowerCount;
                return lowerBound + (bucket.getKey() - lowerBound) * (inBucket == 0 ? 1 : (rank - lowerCount) / inBucket);
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    private static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
