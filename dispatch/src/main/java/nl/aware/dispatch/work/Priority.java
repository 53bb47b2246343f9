package nl.aware.dispatch.work;

/** Order of service in a region's queue: lower first; FIFO by log sequence within one. */
public enum Priority {
    /** A new alert or a repeated press: overtakes everything. */
    PANIC,
    /** Location updates and the informational cancel of an open alert. */
    ALERT_UPDATE,
    /** Test alarms: the full path, marked test. */
    TEST,
    /** Device status notices for Kadera staff. */
    NOTICE;

    /** Only work below PANIC may be shed under overload. */
    public boolean sheddable() {
        return this != PANIC;
    }
}
