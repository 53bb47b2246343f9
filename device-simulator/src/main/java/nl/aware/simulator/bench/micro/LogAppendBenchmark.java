package nl.aware.simulator.bench.micro;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A durable 128-byte append (returns once fsync'd), one appender at a time against 16 concurrent
 * appenders: with group commit the 16 share fsyncs, so their total appends/s is far above one's.
 * Throughput is appends per second over all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogAppendBenchmark {
    private Path directory;
    private EventLog log;
    private final byte[] payload = new byte[128];

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("aware-jmh-log-");
        // Each append is waited for before the next: the write and fsync path itself, no linger.
        log = EventLog.open(EventLogOptions.defaults(directory).withoutLinger(), new SimpleMeterRegistry(),
                record -> { });
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @Threads(1)
    public LogRecord appendOneAppender() {
        return log.append(3, payload).join();
    }

    @Benchmark
    @Threads(16)
    public LogRecord append16Appenders() {
        return log.append(3, payload).join();
    }
}
