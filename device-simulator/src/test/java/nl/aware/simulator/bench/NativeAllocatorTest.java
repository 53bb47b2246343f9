package nl.aware.simulator.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server process's allocator: CI installs libjemalloc2 (.ci/run), so jemalloc must be found here. */
class NativeAllocatorTest {

    @Test
    void jemalloc_isPreloadedIntoTheStartedProcess_andReadBackFromItsMappings() throws Exception {
        Map<String, String> environment = new HashMap<>();
        NativeAllocator.JEMALLOC.applyTo(environment);
        assertTrue(Files.isReadable(Path.of(environment.get("LD_PRELOAD"))), environment::toString);

        assertReadBack(NativeAllocator.JEMALLOC, NativeAllocator.SYSTEM, "has jemalloc loaded");
    }

    @Test
    void system_takesAwayAPreloadTheHarnessWasStartedWith() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"));
        NativeAllocator.SYSTEM.applyTo(environment);
        assertFalse(environment.containsKey("LD_PRELOAD"), environment::toString);

        assertReadBack(NativeAllocator.SYSTEM, NativeAllocator.JEMALLOC, "has no jemalloc loaded");
    }

    @Test
    void names_areReadInAnyCase_andAnythingElseIsNamedInTheError() {
        NativeAllocator.Name name = new NativeAllocator.Name();
        assertEquals(NativeAllocator.JEMALLOC, name.convert("jemalloc"));
        assertEquals(NativeAllocator.SYSTEM, name.convert(" System "));
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> name.convert("tcmalloc"));
        assertTrue(e.getMessage().contains("'tcmalloc'") && e.getMessage().contains("system or jemalloc"), e::getMessage);
    }

    /** A process started with {@code runs} passes its check, and the check for {@code other} names what it has. */
    private static void assertReadBack(NativeAllocator runs, NativeAllocator other, String otherSays) throws Exception {
        Process p = sleeping(runs);
        try {
            runs.checkRunningIn(p.pid());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.checkRunningIn(p.pid()));
            assertTrue(e.getMessage().contains(otherSays), e::getMessage);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** A process that waits, started with {@code allocator}'s environment; its mappings are there once it runs. */
    private static Process sleeping(NativeAllocator allocator) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("sleep", "30"));
        allocator.applyTo(builder.environment());
        Process p = builder.start();
        Path maps = Path.of("/proc", Long.toString(p.pid()), "maps");
        // the dynamic loader maps preloaded libraries before the C library: once libc is there, so is jemalloc
        for (int i = 0; i < 200 && !Files.readString(maps).contains("/libc.so"); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(maps).contains("/libc.so"), "sleep did not start");
        return p;
    }
}
