package nl.aware.monitoring;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped production logback configuration loads cleanly and writes one JSON object per line. */
class ProductionLoggingTest {

    @TempDir
    Path dir;

    private LoggerContext configure() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // a stand-alone context, not the SLF4J-bound one
        context.putProperty("aware.log.dir", dir.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = getClass().getResource("/aware-logback-production.xml");
        assertNotNull(config, "aware-logback-production.xml is on the classpath");
        configurator.doConfigure(config);
        context.start();
        return context;
    }

    @Test
    void productionConfig_loadsWithoutErrors() throws Exception {
        LoggerContext context = configure();
        try {
            List<Status> errors = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getEffectiveLevel() >= Status.WARN).toList();

            assertEquals(List.of(), errors);
        } finally {
            context.stop();
        }
    }

    @Test
    void productionConfig_writesJsonLinesCarryingTheAlertId() throws Exception {
        LoggerContext context = configure();
        UUID alertId = UUID.randomUUID();
        Logger log = context.getLogger("nl.aware.dispatch.Dispatcher");

        log.warn("alert {} escalated to {}: {}", alertId, "kadera", "no police acceptance in 60 s");
        context.stop(); // drains the async queue and closes the file

        List<String> lines = Files.readAllLines(dir.resolve("aware.json"));
        JsonNode line = new ObjectMapper().readTree(lines.stream().filter(l -> l.contains("Dispatcher"))
                .findFirst().orElseThrow(() -> new AssertionError("no line in " + lines)));
        assertEquals("WARN", line.get("level").asText());
        assertEquals("alert " + alertId + " escalated to kadera: no police acceptance in 60 s",
                line.get("formattedMessage").asText());
        assertTrue(line.get("timestamp").asLong() > 0);
    }
}
