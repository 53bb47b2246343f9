package nl.aware.monitoring.health;

import java.util.Objects;

/**
 * The answer of a {@link HealthCheck}: up or down, with a short reason for the operator. The reason
 * is served on the readiness endpoint: never put personal data, device ids or locations in it.
 */
public record Health(boolean up, String reason) {

    public Health {
        Objects.requireNonNull(reason, "reason");
    }

    public static Health up(String reason) {
        return new Health(true, reason);
    }

    public static Health down(String reason) {
        return new Health(false, reason);
    }
}
