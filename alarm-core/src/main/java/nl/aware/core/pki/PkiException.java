package nl.aware.core.pki;

/**
 * A PKI operation failed for a reason an operator can act on (missing file, wrong file,
 * mismatched key, ...). Messages are written to be understandable without the stack trace and
 * name the file involved; they never contain key material.
 */
public class PkiException extends Exception {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
