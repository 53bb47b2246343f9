package nl.aware.monitoring.health;

/**
 * One readiness condition (event log writable, police endpoints answering, Redis reachable).
 *
 * <p>Threading: {@link #check()} runs on the metrics server's worker thread, never on a Netty event
 * loop; it should still answer within milliseconds (read a flag or a timestamp, do not do I/O).
 */
public interface HealthCheck {

    /** Short, stable, lowercase name shown on the readiness endpoint, e.g. {@code event-log}. */
    String name();

    Health check();
}
