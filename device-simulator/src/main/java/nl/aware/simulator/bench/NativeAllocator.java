package nl.aware.simulator.bench;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The C allocator a separate server process runs with: the C library's own malloc, as operators run the server,
 * or jemalloc to compare. Measured in performance.md's twelfth pass: jemalloc left about 1 KiB less per
 * held TLS connection once a connect storm was over, but not at the storm's peak, so operators are not asked to
 * install it.
 */
enum NativeAllocator {
    /** The C library's malloc, as a plain {@code java} start gets it. */
    SYSTEM,
    /** jemalloc, loaded into the server by {@code LD_PRELOAD} (Debian: {@code libjemalloc2}). */
    JEMALLOC;

    private static final String LIBRARY = "libjemalloc.so.2";
    private static final String PRELOAD = "LD_PRELOAD";
    private static final List<Path> LIBRARY_DIRECTORIES = List.of(Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"), Path.of("/usr/local/lib"));

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks that this allocator can be loaded, so that a missing jemalloc is said before a run starts.
     *
     * @throws IllegalStateException naming the package to install when jemalloc is asked for and not found
     */
    void requireInstalled() {
        if (this == JEMALLOC) {
            jemalloc();
        }
    }

    /**
     * Sets up the environment of a process about to start for this allocator: {@code LD_PRELOAD} of jemalloc, or
     * none (so that a harness started with jemalloc does not pass it on to a server that should run without).
     *
     * @throws IllegalStateException naming the package to install when jemalloc is asked for and not found
     */
    void applyTo(Map<String, String> environment) {
        if (this == SYSTEM) {
            environment.remove(PRELOAD);
            return;
        }
        environment.put(PRELOAD, jemalloc().toString());
    }

    private static Path jemalloc() {
        return LIBRARY_DIRECTORIES.stream().map(d -> d.resolve(LIBRARY)).filter(Files::isReadable).findFirst()
                .orElseThrow(() -> new IllegalStateException(LIBRARY + " not found in " + LIBRARY_DIRECTORIES
                        + "; install it (Debian: apt-get install libjemalloc2) or run with --server-allocator system"));
    }

    /**
     * Reads back from /proc/PID/maps that the started process runs with this allocator: the dynamic loader only
     * warns when it cannot preload a library, and the run would then measure the other one.
     *
     * @throws IllegalStateException if it does not
     */
    void checkRunningIn(long pid) throws IOException {
        boolean mapped;
        try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            mapped = maps.anyMatch(line -> line.contains("libjemalloc"));
        }
        if (mapped != (this == JEMALLOC)) {
            throw new IllegalStateException("process " + pid + " was to run with " + label() + " but "
                    + (mapped ? "has jemalloc loaded" : "has no jemalloc loaded"));
        }
    }

    /** {@code --server-allocator}: system or jemalloc, in any case. */
    static final class Name implements CommandLine.ITypeConverter<NativeAllocator> {
        @Override
        public NativeAllocator convert(String value) {
            for (NativeAllocator a : values()) {
                if (a.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not an allocator; choose system or jemalloc");
        }
    }
}
