package nl.aware.dispatch.police;

/** A target took the work. {@code reference} is the police incident reference for alerts, else empty. */
public record Receipt(String target, String reference) {
}
