package nl.aware.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.aware.monitoring.health.EventLogWritable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard and the alert rules only use series that a live scrape really has. */
class OpsFilesTest {
    private static final Path DASHBOARD = Path.of("grafana", "aware-dashboard.json");
    private static final Pattern SERIES = Pattern.compile("\\b((?:aware|jvm|process)_[a-z0-9_]+)");

    @TempDir
    static Path dir;
    private static Set<String> scraped;

    @BeforeAll
    static void scrape() throws Exception {
        try (OpsRegistry ops = new OpsRegistry(dir.resolve("log"));
             MetricsServer server = MetricsServer.start(InetAddress.getLoopbackAddress(), 0, ops.registry,
                     List.of(new EventLogWritable(() -> true)))) {
            scraped = names(Http.get(server.address(), "/metrics").body());
        }
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = SERIES.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Series Micrometer registers only once something happened: the GC timer appears at the first GC. */
    private static final Set<String> LAZY = Set.of("jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum",
            "jvm_gc_pause_seconds_max");

    private static Set<String> unknown(Set<String> used) {
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(scraped);
        missing.removeAll(LAZY);
        return missing;
    }

    @Test
    void dashboard_isGrafanaJsonWithPanelsThatQueryPrometheus() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertEquals("aware-overview", dashboard.get("uid").asText());
        assertTrue(dashboard.get("panels").size() > 10);
        for (JsonNode panel : dashboard.get("panels")) {
            if (!panel.get("type").asText().equals("row")) {
                assertTrue(panel.get("targets").get(0).get("expr").asText().length() > 0, panel.toString());
            }
        }
    }

    @Test
    void dashboard_usesOnlySeriesTheServerExposes() throws Exception {
        Set<String> used = names(Files.readString(DASHBOARD));

        assertEquals(Set.of(), unknown(used));
    }

    @Test
    void alertRules_useOnlySeriesTheServerExposes() throws Exception {
        Set<String> used = names(Files.readString(PromtoolTest.RULES));

        assertEquals(Set.of(), unknown(used));
    }
}
