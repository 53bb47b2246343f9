package nl.aware.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a whole byte array, with one {@link MessageDigest} per thread: looking the algorithm up for every
 * frame was 5 % of replaying a log of presses, and frames are hashed on every device's event loop.
 */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    });

    private Sha256() {
    }

    /** The 32-byte digest of {@code bytes} (the thread's digest is left reset for the next call). */
    public static byte[] of(byte[] bytes) {
        return DIGEST.get().digest(bytes);
    }

    /** The 32-byte digest of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static byte[] of(byte[] bytes, int offset, int length) {
        MessageDigest digest = DIGEST.get();
        digest.update(bytes, offset, length);
        return digest.digest();
    }
}
