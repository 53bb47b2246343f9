package nl.aware.simulator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One scenario's outcome: printed, appended to the JSON results file and as a row of performance.md. */
final class Result {
    static final String TABLE_MARKER = "<!-- bench results: new rows go above this line -->";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final String scenario;
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> latencies = new LinkedHashMap<>();
    final Map<String, Object> figures = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    String target = "";
    /** The target was met; null when the scenario has no target or did not get far enough to judge. */
    Boolean met;
    /** A correctness check of the run failed (e.g. an ACKed press missing from the log). */
    boolean failed;
    String summary = "";

    Result(String scenario) {
        this.scenario = scenario;
    }

    Result latency(Latency latency) {
        latencies.put(latency.name(), latency.summary());
        return this;
    }

    ObjectNode toJson(String command) {
        ObjectNode node = JSON.createObjectNode();
        node.put("scenario", scenario);
        node.put("date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        node.put("command", command);
        node.set("machine", JSON.valueToTree(machine()));
        node.set("parameters", JSON.valueToTree(parameters));
        node.set("latency_ms", JSON.valueToTree(latencies));
        node.set("figures", JSON.valueToTree(figures));
        node.put("target", target);
        if (met == null) {
            node.putNull("met");
        } else {
            node.put("met", met);
        }
        node.put("verification_failed", failed);
        node.set("notes", JSON.valueToTree(notes));
        return node;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_total_mib", memoryMib());
        m.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("shared", "shared, noisy machine: other builds may run at the same time");
        return m;
    }

    static String machineShort() {
        return String.format(Locale.ROOT, "%d cores, %.0f GiB, JDK %s", Runtime.getRuntime().availableProcessors(),
                memoryMib() / 1024.0, System.getProperty("java.specification.version"));
    }

    private static long memoryMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return -1;
    }

    /** Appends to a JSON array file (created when absent). */
    void appendJson(Path file, String command) throws IOException {
        ArrayNode array;
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            array = (ArrayNode) JSON.readTree(file.toFile());
        } else {
            array = JSON.createArrayNode();
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
        }
        array.add(toJson(command));
        Files.writeString(file, JSON.writeValueAsString(array) + "\n", StandardCharsets.UTF_8);
    }

    /** Inserts a table row above the marker; false when the document or its marker is missing. */
    boolean appendMarkdownRow(Path doc, String command) throws IOException {
        if (!Files.isRegularFile(doc)) {
            return false;
        }
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int at = text.indexOf(TABLE_MARKER);
        if (at < 0) {
            return false;
        }
        String verdict = met == null ? "no target" : met ? "met" : "**MISSED**";
        if (failed) {
            verdict += " (verification FAILED)";
        }
        String row = String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %s | %s |%n", scenario,
                command.replace("|", "\\|"), machineShort(), OffsetDateTime.now(ZoneOffset.UTC).toLocalDate(),
                summary.replace("|", "\\|"), target.replace("|", "\\|"), verdict);
        Files.writeString(doc, text.substring(0, at) + row + text.substring(at), StandardCharsets.UTF_8);
        return true;
    }
}
