package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Something that arrived at a simulated receiver, as the live view shows it.
 *
 * @param receiver    the receiver's name
 * @param kind        what it was
 * @param region      the alert's region ("" when unknown)
 * @param alertId     the alert it concerns (the notice id for a notice)
 * @param incidentRef the control room's reference for the alert ("" when none)
 * @param detail      the update kind, the escalation reason, or what made it a duplicate
 * @param body        the JSON received; holds the location: for the police screen only, never for a log
 * @param at          when it arrived
 */
public record Arrival(String receiver, Kind kind, String region, String alertId, String incidentRef, String detail,
                      JsonNode body, Instant at) {
    public enum Kind { ALERT, TEST, UPDATE, REPLAY, DUPLICATE, ESCALATION, NOTICE }
}
