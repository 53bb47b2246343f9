package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Bodies by idempotency key, in arrival order; tells a new key from a replay and from a conflicting reuse. Thread-safe. */
final class IdempotentStore {
    enum Outcome {
        /** First time this key is seen: stored. */
        NEW,
        /** The key again with the same body: an expected retry. */
        REPLAY,
        /** The key again with another body: the first one stands; a bug at the sender. */
        CONFLICT
    }

    private final Map<String, Received> byKey = Collections.synchronizedMap(new LinkedHashMap<>());

    /**
     * @param body the body, parsed from {@code raw}
     * @param raw  the body as it arrived: what is kept
     */
    synchronized Outcome put(String key, JsonNode body, byte[] raw, Instant now) {
        Received existing = byKey.get(key);
        if (existing == null) {
            byKey.put(key, new Received(key, raw, now));
            return Outcome.NEW;
        }
        return existing.sameBody(body) ? Outcome.REPLAY : Outcome.CONFLICT;
    }

    Received get(String key) {
        return byKey.get(key);
    }

    /** A snapshot, in arrival order. */
    synchronized Map<String, Received> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    int size() {
        return byKey.size();
    }
}
