package nl.aware.core.pki;

import nl.aware.core.protocol.FrameVerifier;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The device CA's rule for a device's TLS client certificate, checked in every device handshake: issued by the
 * device CA (its name and its signature), within its dates and the CA's, not a CA itself, and allowed to sign
 * for a TLS client. The CA signs device certificates directly, so the path is this one step and the JDK's PKIX
 * path builder adds nothing to it; it cost about 1.4 ms of CPU and 65 KiB of garbage a handshake, most of it in
 * the JDK's own ECDSA check of the CA's signature. Here that signature is checked with the CA key's comb kept
 * ({@link FrameVerifier}, about 0.1 ms).
 *
 * <p>The check reads the certificate's bytes into a throw-away BouncyCastle structure, never a JDK certificate
 * object: the registry keeps one of those per device, and the JDK's getters cache what they compute in it (the
 * extended key usages, canonical names), which for 100,000 devices would be tens of MiB kept for nothing.
 * Refusals name the rule broken, never the certificate's subject. Thread-safe.
 */
public final class DeviceCertificateCheck {
    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 =
            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    /** Key usage, basic constraints, extended key usage: the critical extensions this check reads. */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(Extension.keyUsage,
            Extension.basicConstraints, Extension.extendedKeyUsage);

    private final X509Certificate ca;
    private final X500Name caName;
    private final FrameVerifier caKey;

    /** @throws IllegalArgumentException when the CA's key is not a P-256 key (the only kind this CA code makes) */
    public DeviceCertificateCheck(X509Certificate ca) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.caName = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
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
        require(certificate.getEncoded(), now);
    }

    /** Passes when {@code der} is a device certificate of this CA, valid at {@code now}. */
    public void require(byte[] der, Instant now) throws CertificateException {
        X509CertificateHolder certificate;
        try {
            certificate = new X509CertificateHolder(der);
        } catch (IOException | RuntimeException unreadable) {
            throw new CertificateEncodingException("device certificate cannot be read as an X.509 certificate");
        }
        if (!certificate.getIssuer().equals(caName)) {
            throw new CertificateException("device certificate was not issued by the device CA");
        }
        if (!ECDSA_WITH_SHA256.equals(certificate.getSignatureAlgorithm())) {
            throw new CertificateException("device certificate is not signed with ECDSA and SHA-256");
        }
        if (!signedByCa(CertificateDer.tbs(der), certificate.getSignature())) {
            throw new CertificateException("device certificate does not carry the device CA's signature");
        }
        requireDates("device certificate", certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), now);
        requireDates("device CA certificate", ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant(), now);
        Extensions extensions = certificate.getExtensions();
        if (extensions == null) {
            return; // a version 1 certificate: no constraints to break
        }
        for (ASN1ObjectIdentifier critical : extensions.getCriticalExtensionOIDs()) {
            if (!UNDERSTOOD_CRITICAL.contains(critical)) {
                throw new CertificateException("device certificate has a critical extension this server does not know");
            }
        }
        try {
            BasicConstraints constraints = BasicConstraints.fromExtensions(extensions);
            if (constraints != null && constraints.isCA()) {
                throw new CertificateException("device certificate is a CA certificate");
            }
            KeyUsage usage = KeyUsage.fromExtensions(extensions);
            if (usage != null && !usage.hasUsages(KeyUsage.digitalSignature)) {
                throw new CertificateException("device certificate's key usage does not allow digital signatures");
            }
            ExtendedKeyUsage purposes = ExtendedKeyUsage.fromExtensions(extensions);
            if (purposes != null && !purposes.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth)
                    && !purposes.hasKeyPurposeId(KeyPurposeId.anyExtendedKeyUsage)) {
                throw new CertificateException("device certificate is not for TLS client authentication");
            }
        } catch (IllegalArgumentException unreadable) {
            throw new CertificateEncodingException("device certificate has an extension that cannot be read");
        }
    }

    private boolean signedByCa(byte[] tbs, byte[] signature) {
        if (tbs == null) {
            return false;
        }
        BigInteger r;
        BigInteger s;
        try {
            ASN1Sequence pair = ASN1Sequence.getInstance(signature); // refuses trailing bytes
            if (pair.size() != 2) {
                return false;
            }
            r = ASN1Integer.getInstance(pair.getObjectAt(0)).getValue();
            s = ASN1Integer.getInstance(pair.getObjectAt(1)).getValue();
        } catch (IllegalArgumentException notASignature) {
            return false;
        }
        return caKey.verify(tbs, r, s);
    }

    private static void requireDates(String what, Instant notBefore, Instant notAfter, Instant now)
            throws CertificateException {
        if (now.isAfter(notAfter)) {
            throw new CertificateExpiredException(what + " expired at " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw new CertificateNotYetValidException(what + " is not valid before " + notBefore);
        }
    }
}
