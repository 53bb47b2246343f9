package nl.aware.records.history;

import nl.aware.core.event.Region;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the alert list: enough to find an alert, no personal data (no name, no location).
 *
 * @param carrierId    the carrier the device was assigned to at the press, or null
 * @param region       the device's region at the press, or null when it was not enrolled
 * @param pressTime    the server's receive time of the press
 * @param deviceTime   the device's clock at the press
 * @param presses      1 + the repeated presses while open
 * @param state        how far the alert got ({@link AlertState}, only forward)
 * @param escalated    went out on the escalation route
 * @param lastSequence the last log record that changed this row
 */
public record AlertSummary(UUID alertId, long deviceId, UUID carrierId, Region region, Instant pressTime,
                           Instant deviceTime, AlertType type, int presses, AlertState state, boolean escalated,
                           long pressSequence, long lastSequence) {

    public boolean closed() {
        return state == AlertState.CLOSED;
    }
}
