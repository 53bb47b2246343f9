package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** An alert a simulated control room accepted. */
public final class ReceivedAlert {
    private final String alertId;
    private final KeptJson body;
    private final String incidentRef;
    private final Instant firstArrival;
    private final boolean test;
    private final String region;

    /**
     * @param parsed the body, parsed from {@code raw}
     * @param raw    the body as it arrived, kept (see {@link KeptJson})
     */
    ReceivedAlert(String alertId, JsonNode parsed, byte[] raw, String incidentRef, Instant firstArrival) {
        this.alertId = alertId;
        this.body = new KeptJson(raw);
        this.incidentRef = incidentRef;
        this.firstArrival = firstArrival;
        this.test = parsed.path("test").asBoolean(false);
        this.region = parsed.path("region").asText("");
    }

    /** The alert's id (also its Idempotency-Key). */
    public String alertId() {
        return alertId;
    }

    /** The alert JSON as first received. */
    public JsonNode body() {
        return body.tree();
    }

    /** The reference the control room answered with, e.g. "IJS-3". */
    public String incidentRef() {
        return incidentRef;
    }

    /** When it was first accepted. */
    public Instant firstArrival() {
        return firstArrival;
    }

    public boolean test() {
        return test;
    }

    public String region() {
        return region;
    }

    boolean sameBody(JsonNode other) {
        return body.sameAs(other);
    }
}
