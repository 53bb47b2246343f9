package nl.aware.records.history;

/** A real alert (opened by a PANIC) or a test alarm (a TEST frame: full path, never a real police alert). */
public enum AlertType {
    REAL, TEST;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
