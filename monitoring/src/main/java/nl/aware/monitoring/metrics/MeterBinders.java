package nl.aware.monitoring.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.Objects;
import java.util.Set;

/**
 * The process-level meters every AWARE node exposes: JVM (memory, GC, threads, class loading),
 * process (CPU, uptime, file descriptors) and Netty's buffer allocators. No common tags.
 *
 * <p>Close it on shutdown: the GC binder holds JMX notification listeners.
 */
public final class MeterBinders implements AutoCloseable {
    public static final String NETTY_USED = "aware.netty.allocator.memory.used";
    public static final String NETTY_PINNED = "aware.netty.allocator.memory.pinned";
    static final Set<String> DENIED = Set.of("process.cpu.time", "system.cpu.count");

    private final JvmGcMetrics gc;

    private MeterBinders(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /**
     * Binds JVM, process and Netty allocator meters to {@code registry}: Netty's pooled allocator
     * ({@link PooledByteBufAllocator#DEFAULT}, tag {@code allocator="pooled"}) and, when it is another
     * allocator, {@link ByteBufAllocator#DEFAULT} (Netty 4.2's adaptive allocator, {@code allocator="adaptive"}).
     */
    public static MeterBinders bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        // Two of ProcessorMetrics' meters fail `promtool check metrics`: process.cpu.time is in
        // nanoseconds ("process_cpu_time_ns_total", an abbreviated unit) and system.cpu.count becomes a
        // gauge ending in "_count". process.cpu.usage and system.cpu.usage carry the signal.
        registry.config().meterFilter(MeterFilter.deny(id -> DENIED.contains(id.getName())));
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        nettyAllocator(registry, "pooled", PooledByteBufAllocator.DEFAULT);
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
                && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            nettyAllocator(registry, label(ByteBufAllocator.DEFAULT), provider);
        }
        return new MeterBinders(gc);
    }

    /**
     * Used (and, for a pooled allocator, pinned) heap and direct memory of one Netty allocator.
     * {@code name} is a bounded tag value such as {@code pooled} or {@code adaptive}.
     */
    public static void nettyAllocator(MeterRegistry registry, String name, ByteBufAllocatorMetricProvider allocator) {
        ByteBufAllocatorMetric metric = allocator.metric();
        Gauge.builder(NETTY_USED, metric, ByteBufAllocatorMetric::usedHeapMemory).baseUnit("bytes")
                .description("Memory held by a Netty buffer allocator (arenas and chunks, used or cached)")
                .tag("allocator", name).tag("area", "heap").register(registry);
        Gauge.builder(NETTY_USED, metric, ByteBufAllocatorMetric::usedDirectMemory).baseUnit("bytes")
                .description("Memory held by a Netty buffer allocator (arenas and chunks, used or cached)")
                .tag("allocator", name).tag("area", "direct").register(registry);
        if (allocator instanceof PooledByteBufAllocator pooled) {
            Gauge.builder(NETTY_PINNED, pooled, PooledByteBufAllocator::pinnedHeapMemory).baseUnit("bytes")
                    .description("Memory of a pooled Netty allocator pinned by live buffers (in use, not cached)")
                    .tag("allocator", name).tag("area", "heap").register(registry);
            Gauge.builder(NETTY_PINNED, pooled, PooledByteBufAllocator::pinnedDirectMemory).baseUnit("bytes")
                    .description("Memory of a pooled Netty allocator pinned by live buffers (in use, not cached)")
                    .tag("allocator", name).tag("area", "direct").register(registry);
        }
    }

    private static String label(ByteBufAllocator allocator) {
        String simple = allocator.getClass().getSimpleName();
        return simple.replace("ByteBufAllocator", "").toLowerCase();
    }

    @Override
    public void close() {
        gc.close();
    }
}
