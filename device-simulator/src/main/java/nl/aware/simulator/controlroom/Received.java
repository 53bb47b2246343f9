package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A request body a simulated receiver accepted, under its idempotency key.
 *
 * @param key          the Idempotency-Key (alertId, updateId, noticeId)
 * @param body         the JSON as first received
 * @param firstArrival when it was first accepted
 */
public record Received(String key, JsonNode body, Instant firstArrival) {
}
