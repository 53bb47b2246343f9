package nl.aware.core.event;

/**
 * The one rule of an alert's lifecycle, for the police callback and the console alike: acknowledged →
 * verified → unit dispatched → on scene → closed. A step may be skipped (a control room's own system never
 * reports a verification) but never taken back: a late report of an earlier step is refused, and nothing
 * follows closed.
 */
public final class AlertLifecycle {
    private AlertLifecycle() {
    }

    /** What the rule says about reporting {@code next} on an alert whose last step is {@code current}. */
    public enum Verdict {
        /** A step forward: record it. */
        ALLOWED,
        /** The step the alert is already at: nothing new to record. */
        ALREADY,
        /** An earlier step, or anything after closed: refused. */
        BACKWARDS
    }

    /** @param current the last step recorded, null when none yet */
    public static Verdict judge(AlertStatus current, AlertStatus next) {
        if (current == null || next.after(current)) {
            return Verdict.ALLOWED;
        }
        return current == next ? Verdict.ALREADY : Verdict.BACKWARDS;
    }

    /** The refusal in words, naming the current state: "alert is already on_scene; acknowledged comes earlier". */
    public static String refusal(AlertStatus current, AlertStatus next) {
        if (current == next) {
            return "alert is already " + current.label();
        }
        return current == AlertStatus.CLOSED ? "alert is closed"
                : "alert is already " + current.label() + "; " + next.label() + " comes earlier";
    }

    /** A verification names its outcome; no other step has one. */
    public static void checkOutcome(AlertStatus status, VerificationOutcome outcome) {
        if (status == AlertStatus.VERIFIED && outcome == null) {
            throw new IllegalArgumentException("a verification needs an outcome");
        }
        if (status != AlertStatus.VERIFIED && outcome != null) {
            throw new IllegalArgumentException("only a verification has an outcome");
        }
    }
}
