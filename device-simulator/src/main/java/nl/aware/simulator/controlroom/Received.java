package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A request body a simulated receiver accepted, under its idempotency key. */
public final class Received {
    private final String key;
    private final KeptJson body;
    private final Instant firstArrival;

    /** @param raw the body as it arrived, kept (see {@link KeptJson}) */
    Received(String key, byte[] raw, Instant firstArrival) {
        this.key = key;
        this.body = new KeptJson(raw);
        this.firstArrival = firstArrival;
    }

    /** The Idempotency-Key (alertId, updateId, noticeId). */
    public String key() {
        return key;
    }

    /** The JSON as first received. */
    public JsonNode body() {
        return body.tree();
    }

    /** When it was first accepted. */
    public Instant firstArrival() {
        return firstArrival;
    }

    boolean sameBody(JsonNode other) {
        return body.sameAs(other);
    }
}
