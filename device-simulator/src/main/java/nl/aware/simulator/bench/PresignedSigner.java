package nl.aware.simulator.bench;

import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameSigning;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.util.BigIntegers;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;

/**
 * A device's ECDSA P-256 signer that takes its nonce from {@link PresignedNonces}: s = (e + d·r) / k mod n, the
 * usual ECDSA signature, with the scalar multiplication done before the run. Without a nonce it signs as the device
 * itself does ({@link FrameSigner}). Not thread-safe: one per device, used on its event loop.
 */
final class PresignedSigner implements FrameSigning {
    private final BigInteger d;
    private final PresignedNonces nonces;
    private final FrameSigner own;
    private final SHA256Digest digest = new SHA256Digest();
    private final byte[] hash = new byte[32];

    PresignedSigner(PrivateKey key, PresignedNonces nonces) {
        try {
            this.d = ((ECPrivateKeyParameters) PrivateKeyFactory.createKey(key.getEncoded())).getD();
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("device key is not an EC private key", e);
        }
        this.nonces = nonces;
        this.own = new FrameSigner(key);
    }

    @Override
    public byte[] sign(byte[] data, int offset, int length) {
        PresignedNonces.Nonce nonce = nonces.take();
        if (nonce == null) {
            return own.sign(data, offset, length);
        }
        digest.update(data, offset, length);
        digest.doFinal(hash, 0);
        // P-256's order has as many bits as SHA-256's output, so e is the whole hash (SEC 1, 4.1.3, step 5)
        BigInteger e = new BigInteger(1, hash);
        BigInteger s = nonce.kInverse().multiply(e.add(d.multiply(nonce.r()))).mod(PresignedNonces.N);
        if (s.signum() == 0) { // about once in 2^256: a signature needs another nonce
            return own.sign(data, offset, length);
        }
        byte[] signature = new byte[64];
        BigIntegers.asUnsignedByteArray(nonce.r(), signature, 0, 32);
        BigIntegers.asUnsignedByteArray(s, signature, 32, 32);
        return signature;
    }
}
