package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** An alert a simulated control room accepted: what it received under the alert's id, and its answer. */
public final class ReceivedAlert {
    private final Received received;
    private final String incidentRef;
    private final boolean test;
    private final String region;

    /**
     * @param parsed the body, parsed from {@code raw}
     * @param raw    the body as it arrived, kept (see {@link KeptJson})
     */
    ReceivedAlert(String alertId, JsonNode parsed, byte[] raw, String incidentRef, Instant firstArrival) {
        this.received = new Received(alertId, raw, firstArrival);
        this.incidentRef = incidentRef;
        this.test = parsed.path("test").asBoolean(false);
        this.region = parsed.path("region").asText("");
    }

    /** The alert's id (also its Idempotency-Key). */
    public String alertId() {
        return received.key();
    }

    /** The alert JSON as first received. */
    public JsonNode body() {
        return received.body();
    }

    /** The reference the control room answered with, e.g. "IJS-3". */
    public String incidentRef() {
        return incidentRef;
    }

    /** When it was first accepted. */
    public Instant firstArrival() {
        return received.firstArrival();
    }

    public boolean test() {
        return test;
    }

    public String region() {
        return region;
    }

    boolean sameBody(JsonNode other) {
        return received.sameBody(other);
    }
}
