package nl.aware.simulator.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import nl.aware.gateway.cli.DurationConverter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code aware-sim bench}: the promises measured. Each scenario starts a fresh deployment in this
 * process (durable embedded log, real mutual TLS 1.3), warms up, measures, prints percentiles and
 * appends a JSON result and a row of docs/performance.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark scenarios against a fresh server (durable embedded log, mutual TLS 1.3), in this process",
                "or with --server-process as its own process:",
                "  press-to-police  steady PANIC rate from many devices, press->ACK and press->police (p99 <= 5 ms, p99.9 <= 20 ms)",
                "  ingest           pipelined PANIC frames, durable ACKs/s, every ACKed press read back from the log (>= 10,000/s)",
                "  priority         PANIC p99 with slow control rooms, alone and under a 10x LOCATION/TEST/STATUS flood (ratio <= 1.5)",
                "  recovery         start-up time with 1,000,000 events in the log (<= 3 s)",
                "  audio            PANIC press->ACK p99 alone and while 100 devices stream AUDIO after their press (ratio <= 1.5);",
                "                   only when named",
                "  connection-scale N mTLS devices held by a server in its own process, heartbeating every 60 s; handshakes/s,",
                "                   server RSS/heap per connection, press->police p99 (100,000 within 2 GB, p99 <= 10 ms);",
                "                   only when named (needs `ulimit -n` above N in the launching shell)",
                "Results: appended to --out (JSON array) and as a row above the results marker of --doc."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (targets met, or missed without --strict)",
                "1:a target was missed (only with --strict), a run's verification failed, or the harness failed",
                "2:usage error"})
public final class BenchCommand implements Callable<Integer> {
    static final List<String> SCENARIOS = List.of("press-to-police", "ingest", "priority", "recovery");
    /** Scenarios run only when named with --scenario. */
    static final List<String> EXPLICIT = List.of("connection-scale", "audio");

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Scenario to run, repeatable: ${COMPLETION-CANDIDATES} (default: all, in this order).",
            completionCandidates = Names.class)
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured phase of each scenario (each phase of priority) (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Warm-up before each measured phase (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "200",
            description = "press-to-police: PANIC presses per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "1000",
            description = "press-to-police: devices pressing round-robin (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--lifecycle-scale", paramLabel = "F", defaultValue = "0.1",
            description = "press-to-police: control rooms walk each alert to closed in about 25 s x F, so a device's "
                    + "next press is a new alert (default: ${DEFAULT-VALUE}, about 2.5 s).")
    double lifecycleScale;

    @Option(names = "--inline-signing",
            description = "press-to-police: devices sign each frame whole as they send it. Without it, the random nonces of "
                    + "the measured phase's signatures (their scalar multiplication, most of a signature's cost) are made "
                    + "before the run, so the simulated devices, which stand for hardware of their own, leave the cores "
                    + "to the server while it is measured.")
    boolean inlineSigning;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "100",
            description = "ingest: device connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--pipeline", paramLabel = "N", defaultValue = "16",
            description = "ingest: frames in flight per connection (default: ${DEFAULT-VALUE}; the gateway reads up to 32).")
    int pipeline;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "0",
            description = "ingest: PANIC frames signed before the run (default 0: 12,000 per second of warm-up + duration).")
    long frames;

    @Option(names = "--panic-rate", paramLabel = "PER_SECOND", defaultValue = "20",
            description = "priority, connection-scale, audio: PANIC presses per second (default: ${DEFAULT-VALUE}).")
    double panicRate;

    @Option(names = "--flood-factor", paramLabel = "X", defaultValue = "10",
            description = "priority: LOCATION/TEST/STATUS frames per second as a multiple of the PANIC rate (default: ${DEFAULT-VALUE}).")
    double floodFactor;

    @Option(names = "--flood-devices", paramLabel = "N", defaultValue = "100",
            description = "priority: devices sending the flood (default: ${DEFAULT-VALUE}).")
    int floodDevices;

    @Option(names = "--response-delay", paramLabel = "DURATION", defaultValue = "200ms", converter = DurationConverter.class,
            description = "priority: control rooms and Kadera answer each request this late, so 16 requests in flight "
                    + "per region cap it at about 80 requests/s (default: ${DEFAULT-VALUE}).")
    Duration responseDelay;

    @Option(names = "--audio-devices", paramLabel = "N", defaultValue = "100",
            description = "audio: devices streaming AUDIO after their press (default: ${DEFAULT-VALUE}).")
    int audioDevices;

    @Option(names = "--audio-frames-per-second", paramLabel = "PER_SECOND", defaultValue = "2.5",
            description = "audio: AUDIO frames (400 ms of sound each) per second per streaming device "
                    + "(default: ${DEFAULT-VALUE}).")
    double audioFramesPerSecond;

    @Option(names = "--scale-connections", paramLabel = "N", defaultValue = "100000",
            description = "connection-scale: concurrent device connections (default: ${DEFAULT-VALUE}).")
    int scaleConnections;

    @Option(names = "--handshake-concurrency", paramLabel = "N", defaultValue = "200",
            description = "connection-scale: TLS handshakes in progress at once (default: ${DEFAULT-VALUE}).")
    int handshakeConcurrency;

    @Option(names = "--per-source-address", paramLabel = "N", defaultValue = "25000",
            description = "connection-scale: connections per local address 127.0.0.2, .3, ... (default: ${DEFAULT-VALUE}; "
                    + "the ephemeral port range has about 28,000 ports).")
    int perSourceAddress;

    @Option(names = "--server-process",
            description = "press-to-police, priority: run the server as its own process (`aware server`, dispatching to "
                    + "the simulated control rooms in this one) and report its CPU seconds and RSS alone; without it the "
                    + "server runs in this process (connection-scale always runs it apart; ingest always in process).")
    boolean serverProcess;

    @Option(names = "--server-heap", paramLabel = "SIZE", defaultValue = "1g",
            description = "connection-scale, --server-process: -Xmx of the server process (default: ${DEFAULT-VALUE}); it "
                    + "also runs with " + SeparateServer.YOUNG_GENERATION_CAP + ", as docs/operations.md recommends.")
    String serverHeap;

    @Option(names = "--server-jvm-option", paramLabel = "OPTION",
            description = "connection-scale, --server-process: an extra option for the server's JVM, repeatable "
                    + "(e.g. -XX:StartFlightRecording=filename=/tmp/server.jfr,settings=profile).")
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--server-allocator", paramLabel = "NAME", defaultValue = "system",
            converter = NativeAllocator.Name.class,
            description = "connection-scale, --server-process: the C allocator of the server process, system (the C "
                    + "library's malloc, default) or jemalloc (needs Debian's libjemalloc2); the run reads it back "
                    + "from the process's mappings.")
    NativeAllocator serverAllocator;

    @Option(names = "--issue-threads", paramLabel = "N", defaultValue = "2",
            description = "connection-scale: threads issuing device certificates (default: ${DEFAULT-VALUE}).")
    int issueThreads;

    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
            description = "recovery: events in the log (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--recovery-devices", paramLabel = "N", defaultValue = "1000",
            description = "recovery: enrolled devices the events are spread over (default: ${DEFAULT-VALUE}).")
    int recoveryDevices;

    @Option(names = "--starts", paramLabel = "N", defaultValue = "3",
            description = "recovery: timed server starts on the same log (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "docs/benchmarks/results.json",
            description = "JSON array file the results are appended to (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--doc", paramLabel = "FILE", defaultValue = "docs/performance.md",
            description = "Markdown file whose results table gets a row per scenario, above its marker line; "
                    + "skipped when the file or marker is missing (default: ${DEFAULT-VALUE}).")
    Path doc;

    @Option(names = "--strict", description = "Exit 1 when a target is missed.")
    boolean strict;

    @Option(names = "--verbose", description = "Keep the server's INFO log lines (one per alert; they cost time).")
    boolean verbose;

    static final class Names extends ArrayList<String> {
        Names() {
            super(SCENARIOS);
            addAll(EXPLICIT);
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        List<String> chosen = scenarios.isEmpty() ? SCENARIOS : scenarios;
        for (String name : chosen) {
            if (!SCENARIOS.contains(name) && !EXPLICIT.contains(name)) {
                throw new CommandLine.ParameterException(cmd, "unknown scenario '" + name + "'; choose from " + new Names());
            }
        }
        if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
            throw new CommandLine.ParameterException(cmd, "--duration must be positive and --warmup not negative");
        }
        if (!(rate > 0) || !(panicRate > 0) || !(floodFactor >= 0) || devices < 1 || connections < 1 || pipeline < 1
                || floodDevices < 1 || scaleConnections < 1 || handshakeConcurrency < 1 || perSourceAddress < 1
                || issueThreads < 1 || events < 1 || recoveryDevices < 1 || starts < 1 || frames < 0
                || audioDevices < 1 || !(audioFramesPerSecond > 0)) {
            throw new CommandLine.ParameterException(cmd, "rates must be positive and counts at least 1");
        }
        if (serverProcess || chosen.contains("connection-scale")) {
            try {
                serverAllocator.requireInstalled(); // said now, not after the enrolment
            } catch (IllegalStateException e) {
                throw new CommandLine.ParameterException(cmd, e.getMessage());
            }
        }
        if (!verbose && LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger("nl.aware").setLevel(Level.WARN);
        }
        PrintWriter w = cmd.getOut();
        String command = "aware-sim " + String.join(" ", cmd.getParseResult().originalArgs());
        w.printf("%s%nmachine: %s (shared, noisy: other builds may be running)%n", command, Result.machineShort());
        w.flush();
        boolean missed = false;
        boolean failed = false;
        for (String name : chosen) {
            w.printf("%n== %s ==%n", name);
            w.flush();
            Result result = switch (name) {
                case "press-to-police" -> PressToPolice.run(this, w);
                case "ingest" -> Ingest.run(this, w);
                case "priority" -> Priority.run(this, w);
                case "connection-scale" -> ConnectionScale.run(this, w);
                case "audio" -> AudioLoad.run(this, w);
                default -> Recovery.run(this, w);
            };
            w.printf("%s: target %s: %s%s%n", name, result.target,
                    result.met == null ? "not judged" : result.met ? "met" : "MISSED",
                    result.failed ? " (VERIFICATION FAILED)" : "");
            result.appendJson(out, command);
            boolean row = result.appendMarkdownRow(doc, command);
            w.printf("result appended to %s%s%n", out, row ? " and " + doc : "");
            w.flush();
            missed |= result.met == null || !result.met;
            failed |= result.failed;
        }
        return failed || (strict && missed) ? 1 : 0;
    }
}
