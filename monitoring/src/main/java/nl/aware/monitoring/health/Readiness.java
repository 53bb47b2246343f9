package nl.aware.monitoring.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Runs every check and renders the result as the readiness endpoint's JSON body. */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** One check's outcome. */
    public record Result(String name, Health health) {
    }

    private final List<HealthCheck> checks;

    public Readiness(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Runs each check once. */
    public List<Result> run() {
        List<Result> results = new ArrayList<>(checks.size());
        for (HealthCheck check : checks) {
            results.add(new Result(check.name(), run(check)));
        }
        return results;
    }

    /** Runs one check; a check that throws is down (named by its exception class, not its message). */
    public static Health run(HealthCheck check) {
        try {
            return check.check();
        } catch (RuntimeException e) {
            log.warn("health check {} failed", check.name(), e);
            return Health.down("check failed: " + e.getClass().getSimpleName());
        }
    }

    public List<HealthCheck> checks() {
        return checks;
    }

    public static boolean allUp(List<Result> results) {
        return results.stream().allMatch(r -> r.health().up());
    }

    /** {@code {"status":"up","checks":[{"name":"event-log","status":"up","reason":"writable"}]}} */
    public static String json(List<Result> results) {
        StringBuilder out = new StringBuilder(64 + 64 * results.size());
        out.append("{\"status\":\"").append(allUp(results) ? "up" : "down").append("\",\"checks\":[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"name\":");
            string(out, r.name());
            out.append(",\"status\":\"").append(r.health().up() ? "up" : "down").append("\",\"reason\":");
            string(out, r.health().reason());
            out.append('}');
        }
        return out.append("]}").toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
