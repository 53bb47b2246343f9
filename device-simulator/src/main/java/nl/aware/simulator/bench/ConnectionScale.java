package nl.aware.simulator.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.channel.EventLoopGroup;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.PkiSetup;
import nl.aware.http.Transports;
import nl.aware.simulator.controlroom.SimulatedPolice;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection scale: N mutual-TLS devices held by ONE server process (started by this scenario as its
 * own JVM, {@code aware server}, so that its RSS and heap are the server's alone), heartbeating every
 * 60 s spread evenly, while a steady low PANIC rate from devices that have not pressed before is
 * timed from press to the simulated control room (in this JVM). Devices are issued certificates and
 * enrolled before the server starts (an in-process gateway-only server enrols them all, then closes);
 * client sockets are bound to 127.0.0.2, 127.0.0.3, ... so that each source address has its own
 * ephemeral ports.
 */
final class ConnectionScale {
    static final int TARGET_CONNECTIONS = 100_000;
    static final double TARGET_RSS_MIB = 2048;
    static final double P99_TARGET_MS = 10;

    private ConnectionScale() {
    }

    static Result run(BenchCommand o, PrintWriter out) throws Exception {
        int n = o.scaleConnections;
        Result result = new Result("connection-scale");
        result.parameters.put("connections", n);
        result.parameters.put("handshake_concurrency", o.handshakeConcurrency);
        result.parameters.put("connections_per_source_address", o.perSourceAddress);
        result.parameters.put("heartbeat_interval_s", 60);
        result.parameters.put("panic_rate_per_s", o.panicRate);
        result.parameters.put("warmup_s", o.warmup.toMillis() / 1000.0);
        result.parameters.put("duration_s", o.duration.toMillis() / 1000.0);
        result.parameters.put("server_heap", o.serverHeap);
        result.parameters.put("server_allocator", o.serverAllocator.label());
        result.target = "100,000 mTLS devices held, server RSS <= 2 GB, press->police p99 <= 10 ms";

        long fdLimit = fileDescriptorLimit();
        result.figures.put("fd_limit_harness", fdLimit);
        if (fdLimit >= 0 && fdLimit < n + 2_000L) {
            String message = String.format(Locale.ROOT, "connection-scale: this process may open %d files, %d connections need "
                    + "about %d (and the server process as many): raise the limit in the launching shell first, "
                    + "e.g. `ulimit -n 1048576` (as root; at most /proc/sys/fs/nr_open), then start java again", fdLimit, n,
                    n + 2_000L);
            out.println(message);
            result.notes.add(message);
            result.failed = true;
            result.summary = "not run: file descriptor limit " + fdLimit + " too low for " + n + " connections";
            return result;
        }
        int addresses = (n + o.perSourceAddress - 1) / o.perSourceAddress;
        if (addresses > 250) {
            throw new IllegalArgumentException("too many source addresses needed: " + addresses);
        }
        List<InetAddress> locals = new ArrayList<>();
        for (int i = 0; i < addresses; i++) {
            locals.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
        }

        Path root = Files.createTempDirectory("aware-scale-");
        SeparateServer server = null;
        EventLoopGroup group = null;
        ConnectionScaleClients clients = null;
        SimulatedPolice police = null;
        try {
            DataDirectory data = new DataDirectory(root.resolve("data"));
            DataKeyRing.create(root.resolve("keys"));
            DataKeyRing keys = DataKeyRing.load(root.resolve("keys"));
            CertificateAuthority ca = PkiSetup.initialize(data, "AWARE scale bench", List.of("localhost"), List.of("127.0.0.1"));

            // 1. certificates, issued in parallel
            ConnectionScaleClients.Device[] devices = new ConnectionScaleClients.Device[n];
            long t0 = System.nanoTime();
            AtomicInteger nextIssue = new AtomicInteger();
            List<Thread> issuers = new ArrayList<>();
            for (int t = 0; t < o.issueThreads; t++) {
                Thread thread = new Thread(() -> {
                    for (int i; (i = nextIssue.getAndIncrement()) < n; ) {
                        long id = Deployment.FIRST_DEVICE_ID + i;
                        devices[i] = new ConnectionScaleClients.Device(i, id, ca.issueDevice(id, PkiSetup.DEVICE_VALIDITY));
                    }
                }, "scale-issue-" + t);
                thread.start();
                issuers.add(thread);
            }
            long nextLine = System.nanoTime() + 5_000_000_000L;
            for (Thread thread : issuers) {
                while (thread.isAlive()) {
                    thread.join(200);
                    if (System.nanoTime() - nextLine > 0) {
                        out.printf(Locale.ROOT, "  issuing      %6.1fs  certificates %7d of %d%n", (System.nanoTime() - t0) / 1e9,
                                Math.min(n, nextIssue.get()), n);
                        out.flush();
                        nextLine += 5_000_000_000L;
                    }
                }
            }
            double issueSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "connection-scale: %d device certificates (new P-256 key each) issued in %.1f s "
                    + "(%.0f/s on %d threads)%n", n, issueSeconds, n / issueSeconds, o.issueThreads);
            out.flush();
            result.figures.put("certificates_issue_s", round1(issueSeconds));
            result.figures.put("certificates_per_s", Math.round(n / issueSeconds));

            // 2. enrolment, offline, through an in-process gateway-only server on the same data directory
            t0 = System.nanoTime();
            try (AwareServer enrolling = EnrollingServer.start(data, keys)) {
                for (int from = 0; from < n; from += 10_000) {
                    List<CompletableFuture<?>> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + 10_000); i++) {
                        batch.add(enrolling.enroll(devices[i].id, i % 2 == 0 ? Region.IJSSELLAND : Region.TWENTE,
                                devices[i].credential.certificate()));
                    }
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
            }
            double enrolSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "connection-scale: %d devices enrolled in %.1f s%n", n, enrolSeconds);
            result.figures.put("enrol_s", round1(enrolSeconds));

            // 3. control rooms here, the server in its own process
            Arrivals arrivals = new Arrivals();
            police = SimulatedPolice.start(ca, 0, arrivals);
            t0 = System.nanoTime();
            server = SeparateServer.start(root, ca, police, o.serverHeap, "60s", o.serverJvmOptions, o.serverAllocator);
            int port = server.port();
            long pid = server.pid();
            double baselineRss = server.rssMib();
            out.printf(Locale.ROOT, "connection-scale: server process pid %d listening on 127.0.0.1:%d after %.1f s, "
                    + "RSS %.0f MiB with %d devices enrolled and none connected%n", pid, port,
                    (System.nanoTime() - t0) / 1e9, baselineRss, n);
            out.flush();
            Map<String, Double> splitIdle = server.rssSplit();
            Map<String, Double> heapIdle = server.heap();
            result.figures.put("server_rss_idle_mib", round1(baselineRss));
            result.figures.put("server_heap_idle_used_mib", heapIdle.get("used"));
            result.figures.put("server_heap_idle_live_mib", heapIdle.get("live"));

            // 4. connect everything, heartbeats starting as devices come up
            Latency ack = new Latency("press->ACK");
            Latency policeLatency = new Latency("press->police");
            Map<UUID, Long> measured = new ConcurrentHashMap<>();
            AtomicLong panicAcks = new AtomicLong();
            group = Transports.group(Math.min(2, Runtime.getRuntime().availableProcessors()));
            ConnectionScaleClients.Listener listener = (a, pressNanos, now, isMeasured) -> {
                panicAcks.incrementAndGet();
                if (isMeasured) {
                    ack.record(now - pressNanos);
                    measured.put(a.eventId(), pressNanos);
                }
            };
            clients = new ConnectionScaleClients(devices, ca.certificate(), group,
                    new InetSocketAddress("127.0.0.1", port), listener);
            ConnectionScaleClients c = clients;
            long connectStart = System.nanoTime();
            long heartbeatEnd = Long.MAX_VALUE / 2;
            AtomicLong heartbeatStop = new AtomicLong(heartbeatEnd);
            AtomicInteger nextHeartbeat = new AtomicInteger();
            Thread heartbeats = pace("scale-heartbeats", n / 60.0, connectStart, heartbeatStop,
                    () -> c.heartbeat(devices[Math.floorMod(nextHeartbeat.getAndIncrement(), n)]));
            Semaphore inHandshake = new Semaphore(o.handshakeConcurrency);
            AtomicLong connectDone = new AtomicLong();
            Thread connector = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        inHandshake.acquire();
                        c.connect(devices[i], locals.get(i / o.perSourceAddress), inHandshake::release);
                    }
                    inHandshake.acquire(o.handshakeConcurrency);
                    connectDone.set(System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scale-connector");
            double cpuAtConnect = server.cpuSeconds();
            connector.start();
            long lastHandshakes = 0;
            long lastAt = connectStart;
            double peakRate = 0;
            while (connector.isAlive()) {
                connector.join(1000);
                long now = System.nanoTime();
                long h = c.handshakes.sum();
                double rate = (h - lastHandshakes) / ((now - lastAt) / 1e9);
                peakRate = Math.max(peakRate, rate);
                out.printf(Locale.ROOT, "  connecting %6.1fs  connected %7d  handshakes %6.0f/s  failed %5d  "
                                + "heartbeats ACKed %7d  server RSS %5.0f MiB%n", (now - connectStart) / 1e9, c.connected.sum(),
                        rate, c.failures.sum(), c.heartbeatsAcked.sum(), rssMib(pid));
                out.flush();
                lastHandshakes = h;
                lastAt = now;
                if (!server.alive()) {
                    throw new IllegalStateException("server process died: " + server.outputTail());
                }
            }
            double connectSeconds = (connectDone.get() - connectStart) / 1e9;
            long handshakesDone = c.handshakes.sum();
            // The server's CPU while the devices connect (their first heartbeats included): what a handshake costs it.
            double cpuPerHandshakeMs = (server.cpuSeconds() - cpuAtConnect) * 1000 / Math.max(1, handshakesDone);
            out.printf(Locale.ROOT, "connection-scale: %d of %d connected in %.1f s (%.0f handshakes/s, peak %.0f/s, "
                            + "%.2f ms server CPU each), %d failed%s%n", c.connected.sum(), n, connectSeconds,
                    handshakesDone / connectSeconds, peakRate, cpuPerHandshakeMs,
                    c.failures.sum(), c.firstFailure == null ? "" : " (first: " + c.firstFailure + ")");
            result.figures.put("connect_s", round1(connectSeconds));
            result.figures.put("handshakes", handshakesDone);
            result.figures.put("handshakes_per_s", Math.round(handshakesDone / connectSeconds));
            result.figures.put("handshakes_per_s_peak_second", Math.round(peakRate));
            result.figures.put("server_cpu_ms_per_handshake", Math.round(cpuPerHandshakeMs * 1000) / 1000.0);
            result.figures.put("connect_failures", c.failures.sum());
            if (c.firstFailure != null) {
                result.notes.add("first connect failure: " + c.firstFailure);
            }

            // 5. hold: heartbeats continue; PANIC from devices that have not pressed before, timed to the police
            long start = System.nanoTime() + 50_000_000L;
            long measureFrom = start + o.warmup.toNanos();
            long end = measureFrom + o.duration.toNanos();
            AtomicInteger nextPanic = new AtomicInteger();
            AtomicLong panicsNotConnected = new AtomicLong();
            long minHeld = c.connected.sum();
            Thread panics = Run.pace("scale-panics", o.panicRate, start, end, t -> {
                int k = nextPanic.getAndIncrement();
                ConnectionScaleClients.Device d = devices[(int) ((k * 7919L + 13) % n)];
                if (!c.panic(d, t, t - measureFrom >= 0)) {
                    panicsNotConnected.incrementAndGet();
                }
            });
            double maxRss = 0;
            while (panics.isAlive()) {
                panics.join(1000);
                long now = System.nanoTime();
                double rss = rssMib(pid);
                maxRss = Math.max(maxRss, rss);
                minHeld = Math.min(minHeld, c.connected.sum());
                out.printf(Locale.ROOT, "  holding    %6.1fs  connected %7d  heartbeats sent %8d ACKed %8d  PANIC sent %5d "
                                + "ACKed %5d at police %5d  server RSS %5.0f MiB%n", (now - start) / 1e9, c.connected.sum(),
                        c.heartbeatsSent.sum(), c.heartbeatsAcked.sum(), c.panicsSent.sum(), panicAcks.get(), arrivals.count(),
                        rss);
                out.flush();
            }
            Run.await(() -> panicAcks.get() >= c.panicsSent.sum(), 10_000);
            Run.await(() -> measured.keySet().stream().allMatch(id -> arrivals.at(id) != null), 15_000);
            long held = c.connected.sum();
            minHeld = Math.min(minHeld, held);
            double rss = rssMib(pid);
            maxRss = Math.max(maxRss, rss);
            Map<String, Double> splitHeld = server.rssSplit();
            Map<String, Double> heapHeld = server.heap();
            heartbeatStop.set(System.nanoTime());
            heartbeats.join(2000);
            long missing = 0;
            for (Map.Entry<UUID, Long> e : measured.entrySet()) {
                Long at = arrivals.at(e.getKey());
                if (at == null) {
                    missing++;
                } else {
                    policeLatency.record(at - e.getValue());
                }
            }
            double perConnKiB = (rss - baselineRss) * 1024 / Math.max(1, held);
            double heapPerConnKiB = (heapHeld.get("live") - heapIdle.get("live")) * 1024 / Math.max(1, held);
            // The heap's share is bounded by -Xmx and swings with how much of it G1 touched in the handshake storm;
            // what lies outside it grows with every connection (docs/performance.md, "Sixth pass").
            double heapRssPerConnKiB = (splitHeld.get("heap") - splitIdle.get("heap")) * 1024 / Math.max(1, held);
            double outsidePerConnKiB = (splitHeld.get("outside") - splitIdle.get("outside")) * 1024 / Math.max(1, held);
            double harnessRss = rssMib(ProcessHandle.current().pid());
            result.latency(ack).latency(policeLatency);
            result.figures.put("connections_held_end", held);
            result.figures.put("connections_held_min_during_hold", minHeld);
            result.figures.put("closed_after_handshake", c.closedAfterHandshake.sum());
            result.figures.put("server_rss_mib", round1(rss));
            result.figures.put("server_rss_max_during_hold_mib", round1(maxRss));
            result.figures.put("server_rss_per_connection_kib", round1(perConnKiB));
            result.figures.put("server_rss_total_per_connection_kib", round1(rss * 1024 / Math.max(1, held)));
            result.figures.put("server_rss_heap_per_connection_kib", round1(heapRssPerConnKiB));
            result.figures.put("server_rss_outside_heap_per_connection_kib", round1(outsidePerConnKiB));
            result.figures.put("server_heap_used_mib", heapHeld.get("used"));
            result.figures.put("server_heap_live_mib", heapHeld.get("live"));
            result.figures.put("server_heap_committed_mib", heapHeld.get("committed"));
            result.figures.put("server_heap_live_per_connection_kib", round1(heapPerConnKiB));
            result.figures.put("harness_rss_mib", round1(harnessRss));
            result.figures.put("heartbeats_sent", c.heartbeatsSent.sum());
            result.figures.put("heartbeats_acked", c.heartbeatsAcked.sum());
            result.figures.put("nacks", c.nacks.sum());
            result.figures.put("panics_sent", c.panicsSent.sum());
            result.figures.put("panics_acked", panicAcks.get());
            result.figures.put("panics_skipped_not_connected", panicsNotConnected.get());
            result.figures.put("measured_panics_missing_at_police", missing);
            result.figures.put("police_duplicates", police.duplicates());

            double p99 = policeLatency.p(99);
            boolean rssOk = rss <= TARGET_RSS_MIB && maxRss <= TARGET_RSS_MIB;
            boolean allHeld = minHeld >= n;
            if (n < TARGET_CONNECTIONS) {
                result.met = null;
                result.notes.add("run with " + n + " connections, fewer than the target's 100,000: not judged");
            } else {
                result.met = allHeld && rssOk && missing == 0 && p99 <= P99_TARGET_MS;
            }
            result.failed = c.nacks.sum() > 0 || missing > 0 || police.duplicates() > 0;
            if (missing > 0) {
                result.notes.add(missing + " measured presses did not reach the police within 15 s after the run");
            }
            result.summary = String.format(Locale.ROOT,
                    "%d of %d mTLS connections held (min %d during hold); %.0f handshakes/s (%d in %.1f s, %d failed; "
                            + "%.2f ms server CPU a handshake); "
                            + "server (%s) RSS %.0f MiB (%.0f MiB idle with %d enrolled; +%.1f KiB per connection: Java heap "
                            + "+%.1f, outside it +%.1f), heap live %.0f MiB "
                            + "(+%.1f KiB per connection), committed %.0f MiB; press->police p50 %.2f / p99 %.2f / max %.2f ms "
                            + "at %.0f PANIC/s; press->ACK p99 %.2f ms; heartbeats ACKed %d; harness RSS %.0f MiB",
                    held, n, minHeld, handshakesDone / connectSeconds, handshakesDone, connectSeconds, c.failures.sum(),
                    cpuPerHandshakeMs, o.serverAllocator.label(), rss,
                    baselineRss, n, perConnKiB, heapRssPerConnKiB, outsidePerConnKiB, heapHeld.get("live"), heapPerConnKiB,
                    heapHeld.get("committed"),
                    policeLatency.p(50), p99, policeLatency.snapshot().getMaxValue() / 1e6, o.panicRate, ack.p(99),
                    c.heartbeatsAcked.sum(), harnessRss);
            out.println(ack.line());
            out.println(policeLatency.line());
            out.println(result.summary);
            out.flush();
            return result;
        } finally {
            if (clients != null) {
                clients.closeAll();
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(20, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.close();
            }
            if (police != null) {
                police.close();
            }
            Deployment.deleteQuietly(root);
        }
    }

    /** Like {@link Run#pace} but until a changeable end. */
    private static Thread pace(String name, double rate, long start, AtomicLong end, Runnable action) {
        Thread thread = new Thread(() -> {
            long interval = (long) (1e9 / rate);
            for (long next = start; next - end.get() < 0; next += interval) {
                long now;
                while ((now = System.nanoTime()) - next < 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next - now, 100_000_000L));
                }
                action.run();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static long fileDescriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** VmRSS of a process in MiB (NaN when unreadable). */
    static double rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return Double.NaN;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
