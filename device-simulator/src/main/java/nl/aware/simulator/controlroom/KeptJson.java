package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.dispatch.police.PoliceMessages;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A received JSON body kept as the bytes that arrived, parsed again when asked for. A simulated
 * receiver keeps every body for tests; as Jackson trees they cost about 2.5 KB per press and, still
 * young when the next collection comes, were copied between survivor spaces until a benchmark's
 * harness paused for 35 ms at every young collection.
 */
final class KeptJson {
    private final byte[] raw;

    /** @param raw a body that parsed as JSON; kept, not copied: the caller hands it over */
    KeptJson(byte[] raw) {
        this.raw = raw;
    }

    JsonNode tree() {
        try {
            return PoliceMessages.json().readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept body parsed when it arrived and no longer does", e);
        }
    }

    /** Whether {@code other} is the same JSON (as Jackson compares trees, not bytes). */
    boolean sameAs(JsonNode other) {
        return tree().equals(other);
    }
}
