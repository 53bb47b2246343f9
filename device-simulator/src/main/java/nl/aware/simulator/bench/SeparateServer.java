package nl.aware.simulator.bench;

import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.gateway.cli.AwareCommand;
import nl.aware.simulator.controlroom.LoopbackPorts;
import nl.aware.simulator.controlroom.SimulatedPolice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as its own JVM ({@code aware server} on a prepared data directory, dispatching to the
 * simulated control rooms in the harness), so that its CPU time, RSS and heap are the server's alone
 * and not the load generator's. Devices must be enrolled in the data directory before {@link #start}.
 */
final class SeparateServer implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /** JDK 17 prints {@code total 389120K, used ...}; JDK 25 {@code total reserved 1048576K, committed 389120K}. */
    private static final Pattern HEAP_TOTAL = Pattern.compile("(?:total|committed) (\\d+)K");
    /** The heap's address range in GC.heap_info, e.g. {@code [0x00000000c0000000, 0x0000000100000000)}. */
    private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-[0-9a-f]+ ");
    private static final Pattern RSS_LINE = Pattern.compile("^Rss:\\s+(\\d+) kB");
    /** USER_HZ of /proc/PID/stat: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * As docs/operations.md ("Sizing the server") recommends: without it, how much of the heap G1's young
     * generation touched while thousands of devices connected swung the RSS per connection by up to 8 KiB
     * from run to run. A later {@code --server-jvm-option} overrides it.
     */
    static final String YOUNG_GENERATION_CAP = "-XX:MaxNewSize=96m";

    private final Process process;
    private final Path output;
    private final int port;
    /** Low and high address of the Java heap: reserved at start-up for -Xmx, so read once (null until then). */
    private long[] heapRange;

    private SeparateServer(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Writes the dispatch settings pointing at {@code police} and starts {@code aware server} on
     * {@code root/data} and {@code root/keys}; returns once it listens for devices.
     *
     * @param jvmOptions extra options for the server's JVM (e.g. -XX:StartFlightRecording=...)
     * @param allocator the C allocator the server process runs with
     */
    static SeparateServer start(Path root, CertificateAuthority ca, SimulatedPolice police, String heap,
                                String heartbeatInterval, List<String> jvmOptions, NativeAllocator allocator)
            throws IOException, InterruptedException {
        Path dispatch = writeDispatchConfig(root.resolve("dispatch"), ca, police);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, YOUNG_GENERATION_CAP));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AwareCommand.class.getName(), "server",
                "--data-dir", root.resolve("data").toString(), "--key-dir", root.resolve("keys").toString(),
                "--dispatch", dispatch.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--port-file", root.resolve("port").toString(), "--metrics-port", Integer.toString(LoopbackPorts.free()),
                "--heartbeat-interval", heartbeatInterval, "--staff-port", "0"));
        Path output = Path.of(System.getProperty("java.io.tmpdir"), root.getFileName() + "-server.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        allocator.applyTo(builder.environment());
        Process process = builder.start();
        Path portFile = root.resolve("port");
        if (!Run.await(() -> Files.exists(portFile) || !process.isAlive(), 120_000) || !process.isAlive()) {
            process.destroyForcibly();
            throw new IllegalStateException("server process did not start; its output: " + tail(output));
        }
        try {
            allocator.checkRunningIn(process.pid());
        } catch (IOException | IllegalStateException e) {
            process.destroyForcibly();
            throw e;
        }
        return new SeparateServer(process, output, Integer.parseInt(Files.readString(portFile).trim()));
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The server's output (kept after the run in the temporary directory of the JVM). */
    Path output() {
        return output;
    }

    /** User + system CPU seconds the server process has used so far (NaN when unreadable). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    double rssMib() {
        return ConnectionScale.rssMib(process.pid());
    }

    /** Heap via jcmd: used as found, committed, and live (used after a full GC), MiB. */
    Map<String, Double> heap() {
        Map<String, Double> m = new LinkedHashMap<>();
        String before = jcmd("GC.heap_info");
        m.put("used", megabytes(HEAP_USED, before));
        m.put("committed", committedMib(before));
        jcmd("GC.run");
        m.put("live", megabytes(HEAP_USED, jcmd("GC.heap_info")));
        return m;
    }

    /**
     * The server's resident memory in MiB, split into its Java heap ({@code heap}) and everything else
     * ({@code outside}: the TLS library's and the C library's memory, thread stacks, code, metadata), from
     * /proc/PID/smaps and the heap's address range. NaN values when either cannot be read.
     */
    Map<String, Double> rssSplit() {
        Map<String, Double> split = new LinkedHashMap<>();
        split.put("heap", Double.NaN);
        split.put("outside", Double.NaN);
        if (heapRange == null) {
            Matcher range = HEAP_RANGE.matcher(jcmd("GC.heap_info"));
            if (!range.find()) {
                return split;
            }
            heapRange = new long[] {Long.parseUnsignedLong(range.group(1), 16),
                    Long.parseUnsignedLong(range.group(2), 16)};
        }
        long low = heapRange[0];
        long high = heapRange[1];
        long heapKb = 0;
        long outsideKb = 0;
        boolean inHeap = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps"))) {
                Matcher mapping = MAPPING.matcher(line);
                if (mapping.find()) {
                    long start = Long.parseUnsignedLong(mapping.group(1), 16);
                    inHeap = Long.compareUnsigned(start, low) >= 0 && Long.compareUnsigned(start, high) < 0;
                    continue;
                }
                Matcher rss = RSS_LINE.matcher(line);
                if (rss.find()) {
                    long kb = Long.parseLong(rss.group(1));
                    if (inHeap) {
                        heapKb += kb;
                    } else {
                        outsideKb += kb;
                    }
                }
            }
        } catch (IOException e) {
            return split;
        }
        split.put("heap", Math.round(heapKb / 1024.0 * 10) / 10.0);
        split.put("outside", Math.round(outsideKb / 1024.0 * 10) / 10.0);
        return split;
    }

    /** Output of {@code jcmd PID command} (empty when it failed). */
    String jcmd(String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    String outputTail() {
        return tail(output);
    }

    /** Stops the server as an operator would (SIGTERM: its shutdown hook closes the log), forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The heap's committed size in a {@code GC.heap_info} answer, MiB (NaN when it has none). */
    static double committedMib(String heapInfo) {
        return megabytes(HEAP_TOTAL, heapInfo);
    }

    private static double megabytes(Pattern pattern, String heapInfo) {
        Matcher m = pattern.matcher(heapInfo);
        return m.find() ? Math.round(Long.parseLong(m.group(1)) / 1024.0 * 10) / 10.0 : Double.NaN;
    }

    private static Path writeDispatchConfig(Path dir, CertificateAuthority ca, SimulatedPolice police) throws IOException {
        Files.createDirectories(dir);
        IssuedCredential client = ca.issueClient(SimulatedPolice.DISPATCH_CLIENT, Duration.ofDays(30));
        client.writePem(dir.resolve("dispatch-client.pem"), dir.resolve("dispatch-client.key.pem"));
        Files.writeString(dir.resolve("trust.pem"), Pem.encode(ca.certificate()));
        StringBuilder p = new StringBuilder("# written by the benchmark harness\n");
        for (Region region : Region.values()) {
            p.append("police.").append(region.label()).append(".primary=").append(police.room(region).baseUrl()).append('\n')
                    .append("callback.").append(region.label()).append(".client=")
                    .append(SimulatedPolice.controlRoomClient(region)).append('\n');
        }
        p.append("kadera.url=").append(police.kadera().baseUrl()).append('\n')
                .append("dispatch.escalate-after=PT60S\n")
                .append("dispatch.request-timeout=PT5S\n")
                .append("tls.client.certificate=dispatch-client.pem\n")
                .append("tls.client.key=dispatch-client.key.pem\n")
                .append("tls.trust=trust.pem\n")
                .append("callback.bind=127.0.0.1\n")
                // the port the simulated control rooms report their lifecycle to
                .append("callback.port=").append(police.callbackPort()).append('\n')
                .append("callback.trust=trust.pem\n");
        Path file = dir.resolve("dispatch.properties");
        Files.writeString(file, p, StandardCharsets.UTF_8);
        return file;
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "(no output)";
        }
    }

}
