package nl.aware.dispatch.work;

/** What a piece of dispatch work is, its priority, and whether it goes to the police or to Kadera. */
public enum WorkKind {
    NEW_ALERT(Priority.PANIC, true),
    REPEATED_PRESS(Priority.PANIC, true),
    LOCATION_UPDATE(Priority.ALERT_UPDATE, true),
    CANCEL_NOTICE(Priority.ALERT_UPDATE, true),
    TEST_ALERT(Priority.TEST, true),
    /** A step an operator recorded in the console (acknowledged, verified with its outcome, ...). */
    LIFECYCLE_UPDATE(Priority.ALERT_UPDATE, true),
    /** Offline, back online, low battery, tamper, fault: from device supervision, for Kadera staff. */
    DEVICE_NOTICE(Priority.NOTICE, false);

    private final Priority priority;
    private final boolean police;

    WorkKind(Priority priority, boolean police) {
        this.priority = priority;
        this.police = police;
    }

    public Priority priority() {
        return priority;
    }

    /** True when the police endpoint takes it; false for Kadera's notice route. */
    public boolean toPolice() {
        return police;
    }

    /** A new alert or a test alert: the police answer it with an incident reference. */
    public boolean opensAlert() {
        return this == NEW_ALERT || this == TEST_ALERT;
    }

    /** Updates refer to an alert the police must already have accepted. */
    public boolean needsAcceptedAlert() {
        return this == REPEATED_PRESS || this == LOCATION_UPDATE || this == CANCEL_NOTICE || this == LIFECYCLE_UPDATE;
    }

    public String label() {
        return name().toLowerCase();
    }
}
