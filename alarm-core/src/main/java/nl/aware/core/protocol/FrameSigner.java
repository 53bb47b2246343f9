package nl.aware.core.protocol;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;

/**
 * The device side of frame signing: ECDSA P-256 over SHA-256, written as r||s (32+32 bytes).
 * Nonces are deterministic (RFC 6979), so the same frame signs to the same bytes, which keeps
 * the test vectors in docs/protocol.md reproducible. Not thread-safe: one signer per device.
 */
public final class FrameSigner implements FrameSigning {
    private final ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    private final SHA256Digest digest = new SHA256Digest();

    public FrameSigner(PrivateKey privateKey) {
        try {
            ECPrivateKeyParameters key = (ECPrivateKeyParameters) PrivateKeyFactory.createKey(privateKey.getEncoded());
            EcCurve.requireP256(key.getParameters());
            signer.init(true, key);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("device key is not an EC P-256 private key", e);
        }
    }

    @Override
    public byte[] sign(byte[] data, int offset, int length) {
        byte[] hash = new byte[32];
        digest.update(data, offset, length);
        digest.doFinal(hash, 0);
        BigInteger[] rs = signer.generateSignature(hash);
        byte[] signature = new byte[Adp.SIGNATURE_BYTES];
        EcCurve.writeFixed(rs[0], signature, 0);
        EcCurve.writeFixed(rs[1], signature, 32);
        return signature;
    }
}
