package nl.aware.dispatch.police;

/**
 * One delivery attempt failed. {@code permanent}: the receiver refused the content itself (a 4xx
 * other than 408/429), so repeating the same request cannot help. Never carries payload text.
 */
public final class DeliveryException extends Exception {
    private final String target;
    private final boolean permanent;

    public DeliveryException(String target, String problem, boolean permanent) {
        super(problem, null, false, false);
        this.target = target;
        this.permanent = permanent;
    }

    public String target() {
        return target;
    }

    public boolean permanent() {
        return permanent;
    }
}
