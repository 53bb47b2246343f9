package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An alert a simulated control room accepted.
 *
 * @param alertId      the alert's id (also its Idempotency-Key)
 * @param body         the alert JSON as first received
 * @param incidentRef  the reference the control room answered with, e.g. "IJS-3"
 * @param firstArrival when it was first accepted
 */
public record ReceivedAlert(String alertId, JsonNode body, String incidentRef, Instant firstArrival) {
    public boolean test() {
        return body.path("test").asBoolean(false);
    }

    public String region() {
        return body.path("region").asText("");
    }
}
