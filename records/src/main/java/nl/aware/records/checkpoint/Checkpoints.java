package nl.aware.records.checkpoint;

import nl.aware.core.event.Event;
import nl.aware.core.pki.CertificateDer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/**
 * Signing and checking of {@link Event.Checkpoint}s (docs/evidence.md). The signed message starts with a
 * fixed label, so a checkpoint signature can never be mistaken for a TLS 1.3 CertificateVerify (which starts
 * with 64 spaces) made with the same server key, nor the other way round.
 */
public final class Checkpoints {
    /** Domain separation: the first bytes of every signed checkpoint message. */
    static final byte[] LABEL = "AWARE-CHECKPOINT-1\0".getBytes(StandardCharsets.US_ASCII);
    static final String ALGORITHM = "SHA256withECDSA";

    private Checkpoints() {
    }

    /** {@code "AWARE-CHECKPOINT-1" 0x00 | u64 sequence | 32-byte hash | i64 timeMs}: what the server signs. */
    public static byte[] signedBytes(long sequence, byte[] hash, long timeMs) {
        return ByteBuffer.allocate(LABEL.length + 8 + 32 + 8).put(LABEL).putLong(sequence).put(hash).putLong(timeMs)
                .array();
    }

    /** Signs that record {@code sequence} has {@code hash}, at {@code timeMs}. */
    public static Event.Checkpoint sign(PrivateKey key, X509Certificate certificate, long sequence, byte[] hash,
                                        long timeMs) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(signedBytes(sequence, hash, timeMs));
            return new Event.Checkpoint(sequence, hash.clone(), timeMs, certificate.getEncoded(), signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a checkpoint with the server key: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a checkpoint's own signature and its certificate; returns what is wrong, or null when sound.
     *
     * @param trustedCa the deployment's CA; null checks the signature against the embedded certificate only
     */
    public static String problem(Event.Checkpoint checkpoint, X509Certificate trustedCa) {
        X509Certificate signer;
        try {
            signer = CertificateDer.parse(checkpoint.certificateDer());
        } catch (CertificateException e) {
            return "the checkpoint's certificate is not readable: " + e.getMessage();
        }
        if (trustedCa != null) {
            try {
                signer.verify(trustedCa.getPublicKey());
            } catch (GeneralSecurityException e) {
                return "the checkpoint's certificate (" + signer.getSubjectX500Principal().getName()
                        + ") was not issued by the trusted CA";
            }
            try {
                signer.checkValidity(new Date(checkpoint.timeMs()));
            } catch (GeneralSecurityException e) {
                return "the checkpoint's certificate was not valid at the checkpoint's time "
                        + Instant.ofEpochMilli(checkpoint.timeMs());
            }
        }
        boolean[] usage = signer.getKeyUsage();
        if (usage != null && !usage[0]) {
            return "the checkpoint's certificate does not allow digital signatures";
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(signer.getPublicKey());
            verifier.update(signedBytes(checkpoint.sequence(), checkpoint.hash(), checkpoint.timeMs()));
            if (!verifier.verify(checkpoint.signature())) {
                return "the checkpoint's signature does not verify: its sequence, hash or time was altered";
            }
        } catch (GeneralSecurityException e) {
            return "the checkpoint's signature does not verify (" + e.getClass().getSimpleName() + ")";
        }
        return null;
    }

}
