package nl.aware.records.history;

import nl.aware.core.event.Region;

import java.time.Instant;
import java.util.UUID;

/**
 * Which alerts a list shows; every field null means "any". Times bound the press's receive time:
 * {@code from} inclusive, {@code to} exclusive. {@code closed} selects closed (true) or open (false) alerts.
 */
public record AlertFilter(UUID carrierId, Long deviceId, Region region, Instant from, Instant to, AlertType type,
                          AlertState state, Boolean closed) {

    public static final AlertFilter ALL = new AlertFilter(null, null, null, null, null, null, null, null);

    public AlertFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("time range: 'from' " + from + " must be before 'to' " + to);
        }
    }

    public boolean matches(AlertSummary a) {
        return (carrierId == null || carrierId.equals(a.carrierId()))
                && (deviceId == null || deviceId == a.deviceId())
                && (region == null || region == a.region())
                && (from == null || !a.pressTime().isBefore(from))
                && (to == null || a.pressTime().isBefore(to))
                && (type == null || type == a.type())
                && (state == null || state == a.state())
                && (closed == null || closed == a.closed());
    }

    public AlertFilter withCarrier(UUID value) {
        return new AlertFilter(value, deviceId, region, from, to, type, state, closed);
    }

    public AlertFilter withDevice(Long value) {
        return new AlertFilter(carrierId, value, region, from, to, type, state, closed);
    }

    public AlertFilter withRegion(Region value) {
        return new AlertFilter(carrierId, deviceId, value, from, to, type, state, closed);
    }

    public AlertFilter withTimeRange(Instant fromInclusive, Instant toExclusive) {
        return new AlertFilter(carrierId, deviceId, region, fromInclusive, toExclusive, type, state, closed);
    }

    public AlertFilter withType(AlertType value) {
        return new AlertFilter(carrierId, deviceId, region, from, to, value, state, closed);
    }

    public AlertFilter withState(AlertState value) {
        return new AlertFilter(carrierId, deviceId, region, from, to, type, value, closed);
    }

    public AlertFilter withClosed(Boolean value) {
        return new AlertFilter(carrierId, deviceId, region, from, to, type, state, value);
    }
}
