package nl.aware.monitoring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prometheus' own checker on our operations files and on a live scrape. Needs {@code promtool} on the
 * PATH (Debian package {@code prometheus}); without it the test fails in CI ({@code CI=true}) and is
 * skipped elsewhere.
 */
class PromtoolTest {
    static final Path RULES = Path.of("prometheus", "aware-rules.yml");
    static final Path RULE_TESTS = Path.of("prometheus", "aware-rules.test.yml");

    @TempDir
    Path dir;

    private static Path promtool() {
        Optional<Path> found = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(File.pathSeparator)).stream())
                .map(p -> Path.of(p, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("promtool is not on the PATH; CI must install the Debian package 'prometheus'");
            }
            assumeTrue(false, "promtool is not on the PATH (apt-get install prometheus); skipped outside CI");
        }
        return found.get();
    }

    private record Run(int exit, String output) {
    }

    private static Run run(byte[] stdin, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "promtool did not finish");
        return new Run(process.exitValue(), output);
    }

    @Test
    void alertRules_passPromtoolCheckRules() throws Exception {
        Path promtool = promtool();

        Run run = run(new byte[0], promtool.toString(), "check", "rules", RULES.toString());

        assertEquals(0, run.exit(), run.output());
    }

    @Test
    void alertRules_passTheirPromtoolUnitTests() throws Exception {
        Path promtool = promtool();

        Run run = run(new byte[0], promtool.toString(), "test", "rules", RULE_TESTS.toString());

        assertEquals(0, run.exit(), run.output());
    }

    @Test
    void liveScrape_passesPromtoolCheckMetrics() throws Exception {
        Path promtool = promtool();
        try (OpsRegistry ops = new OpsRegistry(dir.resolve("log"));
             MetricsServer server = MetricsServer.start(InetAddress.getLoopbackAddress(), 0, ops.registry, List.of())) {
            String scrape = Http.get(server.address(), "/metrics").body();
            Files.writeString(Path.of("target", "scrape-sample.txt"), scrape);

            Run run = run(scrape.getBytes(StandardCharsets.UTF_8), promtool.toString(), "check", "metrics");

            assertEquals(0, run.exit(), run.output());
        }
    }
}
