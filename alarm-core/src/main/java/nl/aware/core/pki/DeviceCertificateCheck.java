package nl.aware.core.pki;

import nl.aware.core.protocol.FrameVerifier;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The device CA's rule for a device's TLS client certificate, checked in every device handshake: issued by the
 * device CA (its name and its signature), within its dates and the CA's, not a CA itself, and allowed to sign
 * for a TLS client. The CA signs device certificates directly, so the path is this one step and the JDK's PKIX
 * path builder adds nothing to it; it cost about 1.4 ms of CPU and 65 KiB of garbage a handshake, most of it in
 * the JDK's own ECDSA check of the CA's signature. Here that signature is checked with the CA key's comb kept
 * ({@link FrameVerifier}, about 0.1 ms). Refusals name the rule broken, never the certificate's subject.
 * Thread-safe.
 */
public final class DeviceCertificateCheck {
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    /** Key usage, basic constraints, extended key usage: the critical extensions this check reads. */
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of("2.5.29.15", "2.5.29.19", "2.5.29.37");
    private static final int DIGITAL_SIGNATURE = 0;

    private final X509Certificate ca;
    private final FrameVerifier caKey;

    /** @throws IllegalArgumentException when the CA's key is not a P-256 key (the only kind this CA code makes) */
    public DeviceCertificateCheck(X509Certificate ca) {
        this.ca = Objects.requireNonNull(ca, "ca");
        try {
            this.caKey = new FrameVerifier(ca.getPublicKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the device CA's key is not an EC P-256 key", e);
        }
    }

    /** The device CA this check trusts. */
    public X509Certificate ca() {
        return ca;
    }

    /** Passes when {@code certificate} is a device certificate of this CA, valid at {@code now}. */
    public void require(X509Certificate certificate, Instant now) throws CertificateException {
        if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new CertificateException("device certificate was not issued by the device CA");
        }
        if (!ECDSA_WITH_SHA256.equals(certificate.getSigAlgOID())) {
            throw new CertificateException("device certificate is not signed with ECDSA and SHA-256");
        }
        if (!signedByCa(certificate)) {
            throw new CertificateException("device certificate does not carry the device CA's signature");
        }
        requireDates(certificate, "device certificate", now);
        requireDates(ca, "device CA certificate", now);
        Set<String> critical = certificate.getCriticalExtensionOIDs();
        if (critical != null && !UNDERSTOOD_CRITICAL.containsAll(critical)) {
            throw new CertificateException("device certificate has a critical extension this server does not know");
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw new CertificateException("device certificate is a CA certificate");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= DIGITAL_SIGNATURE || !keyUsage[DIGITAL_SIGNATURE])) {
            throw new CertificateException("device certificate's key usage does not allow digital signatures");
        }
        List<String> purposes = certificate.getExtendedKeyUsage();
        if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new CertificateException("device certificate is not for TLS client authentication");
        }
    }

    private boolean signedByCa(X509Certificate certificate) throws CertificateEncodingException {
        BigInteger r;
        BigInteger s;
        try {
            ASN1Sequence pair = ASN1Sequence.getInstance(certificate.getSignature()); // refuses trailing bytes
            if (pair.size() != 2) {
                return false;
            }
            r = ASN1Integer.getInstance(pair.getObjectAt(0)).getValue();
            s = ASN1Integer.getInstance(pair.getObjectAt(1)).getValue();
        } catch (IllegalArgumentException notASignature) {
            return false;
        }
        return caKey.verify(certificate.getTBSCertificate(), r, s);
    }

    private static void requireDates(X509Certificate certificate, String what, Instant now)
            throws CertificateException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new CertificateExpiredException(what + " expired at " + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new CertificateNotYetValidException(what + " is not valid before "
                    + certificate.getNotBefore().toInstant());
        }
    }
}
