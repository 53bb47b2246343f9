package nl.aware.core.protocol;

import nl.aware.core.crypto.Sha256;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;

/**
 * Checks a frame's signature against one device's public key ({@link P256Verification}: BouncyCastle's arithmetic
 * without its garbage, about 80 µs a check here against 1.4 ms for the JDK 17 provider, see NOTES.md).
 * Thread-safe; build one per enrolled device and keep it. The gateway also keeps one for the device CA's key,
 * to check the CA's signature on a device certificate in each handshake
 * ({@link #verify(byte[], BigInteger, BigInteger)}).
 */
public final class FrameVerifier {
    private final ECPoint key;
    private final KeyCombs combs;
    /** The key's comb (2 KiB), made at a check when there is none; {@link KeyCombs} decides how long it stays. */
    private volatile int[] comb;
    private volatile long lastCheckNanos;

    /** A verifier that keeps its key's comb for its own life (see {@link KeyCombs#kept()}). */
    public FrameVerifier(PublicKey publicKey) {
        this(publicKey, KeyCombs.kept());
    }

    public FrameVerifier(PublicKey publicKey, KeyCombs combs) {
        this.combs = combs;
        ECPublicKeyParameters parameters;
        try {
            parameters = (ECPublicKeyParameters) PublicKeyFactory.createKey(publicKey.getEncoded());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("device key is not an EC public key", e);
        }
        EcCurve.requireP256(parameters.getParameters());
        this.key = parameters.getQ().normalize();
    }

    public boolean verify(DeviceFrame frame) {
        byte[] body = frame.body();
        int signedLength = frame.signedLength();
        BigInteger r = new BigInteger(1, body, signedLength, 32);
        BigInteger s = new BigInteger(1, body, signedLength + 32, 32);
        return P256Verification.verify(keyComb(), Sha256.of(body, 0, signedLength), r, s);
    }

    /** Whether (r, s) is this key's ECDSA signature, with SHA-256, of {@code message}. */
    public boolean verify(byte[] message, BigInteger r, BigInteger s) {
        return P256Verification.verify(keyComb(), Sha256.of(message), r, s);
    }

    private int[] keyComb() {
        long now = combs.now();
        lastCheckNanos = now;
        int[] table = comb;
        if (table == null) {
            table = P256Verification.comb(key); // a race only makes it twice
            comb = table;
            combs.made(this, now);
        }
        return table;
    }

    long lastCheckNanos() {
        return lastCheckNanos;
    }

    /** Drops the comb; a check in progress keeps the table it already holds. */
    void releaseComb() {
        comb = null;
    }

    boolean holdsComb() {
        return comb != null;
    }
}
