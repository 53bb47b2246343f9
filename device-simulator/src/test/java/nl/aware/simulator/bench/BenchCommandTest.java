package nl.aware.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.aware.simulator.SimulatorCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A smoke test of the harness: it runs, exits 0 and writes a valid result. No speed is asserted here. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pressToPolice_writesAJsonResultWithPercentilesAndADocRow() throws Exception {
        Path out = dir.resolve("results.json");
        Path doc = dir.resolve("performance.md");
        Files.writeString(doc, "| a | b |\n" + Result.TABLE_MARKER + "\n");
        Ran run = bench("--scenario", "press-to-police", "--duration", "2s", "--warmup", "1s", "--devices", "20",
                "--rate", "20", "--out", out.toString(), "--doc", doc.toString());

        assertEquals(0, run.exit(), run::printed);
        JsonNode results = new ObjectMapper().readTree(out.toFile());
        assertTrue(results.isArray() && results.size() == 1, results::toString);
        JsonNode result = results.get(0);
        assertEquals("press-to-police", result.path("scenario").asText());
        for (String series : new String[] {"press->ACK", "press->police"}) {
            JsonNode latency = result.path("latency_ms").path(series);
            for (String field : new String[] {"count", "p50", "p90", "p99", "p99_9", "max"}) {
                assertTrue(latency.path(field).isNumber(), series + " lacks " + field + ": " + result);
            }
            assertTrue(latency.path("count").asLong() > 0, series + " recorded nothing: " + result);
        }
        assertTrue(result.path("met").isBoolean(), result::toString);
        assertTrue(result.path("machine").path("cores").asInt() > 0, result::toString);
        // the measured phase signed with nonces made before the run, and the server took every such frame
        assertTrue(result.path("figures").path("nonces_used").asLong() > 0, result::toString);
        assertEquals(0, result.path("figures").path("nacks").asLong(), result::toString);
        assertTrue(Files.readString(doc).contains("| press-to-police | `aware-sim bench"), () -> "no row in the doc");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void audio_measuresPanicAloneAndWithStreamingDevices_everyAudioFrameAcked() throws Exception {
        Path out = dir.resolve("results.json");
        Ran run = bench("--scenario", "audio", "--duration", "2s", "--warmup", "1s", "--audio-devices", "10",
                "--panic-rate", "10", "--out", out.toString(), "--doc", dir.resolve("none.md").toString());

        assertEquals(0, run.exit(), () -> "exit 1 also when a PANIC or AUDIO frame was refused\n" + run.printed());
        JsonNode result = new ObjectMapper().readTree(out.toFile()).get(0);
        assertEquals("audio", result.path("scenario").asText());
        for (String series : new String[] {"PANIC alone", "PANIC with audio", "AUDIO ->ACK"}) {
            assertTrue(result.path("latency_ms").path(series).path("count").asLong() > 0, series + ": " + result);
        }
        assertTrue(result.path("figures").path("ratio").isNumber(), result::toString);
    }

    @Test
    void unknownScenario_isAUsageError() {
        Ran run = bench("--scenario", "no-such-scenario", "--out", dir.resolve("r.json").toString());
        assertEquals(2, run.exit(), run::printed);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void pressToPolice_serverProcess_measuresTheServerApart_withTheAllocatorAskedFor() throws Exception {
        Path out = dir.resolve("apart.json");
        Ran run = bench("--scenario", "press-to-police", "--server-process", "--server-allocator", "jemalloc",
                "--duration", "2s", "--warmup", "1s", "--devices", "20", "--rate", "20", "--out", out.toString());

        assertEquals(0, run.exit(), run::printed);
        JsonNode result = new ObjectMapper().readTree(out.toFile()).get(0);
        // SeparateServer read jemalloc back from the server's mappings before the run began
        assertEquals("jemalloc", result.path("parameters").path("server_allocator").asText(), result::toString);
        assertTrue(result.path("figures").path("server_cpu_ms_per_press").asDouble() > 0, result::toString);
        assertTrue(result.path("figures").path("server_rss_mib").asDouble() > 0, result::toString);
        assertEquals(0, result.path("figures").path("nacks").asLong(), result::toString);
        assertTrue(run.out().contains("server process (pid "), run::printed);
    }

    @Test
    void unknownServerAllocator_isAUsageErrorNamingIt() {
        Ran run = bench("--scenario", "press-to-police", "--server-process", "--server-allocator", "tcmalloc",
                "--out", dir.resolve("r.json").toString());
        assertEquals(2, run.exit(), run::printed);
        assertTrue(run.err().contains("'tcmalloc' is not an allocator"), run::printed);
    }

    /** What one {@code aware-sim bench} run returned and printed. */
    private record Ran(int exit, String out, String err) {
        String printed() {
            return out + "\n--- stderr ---\n" + err;
        }
    }

    private static Ran bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] command = new String[args.length + 1];
        command[0] = "bench";
        System.arraycopy(args, 0, command, 1, args.length);
        int exit = new CommandLine(new SimulatorCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(command);
        return new Ran(exit, out.toString(), err.toString());
    }
}
