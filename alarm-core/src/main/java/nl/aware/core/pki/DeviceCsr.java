package nl.aware.core.pki;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;

/**
 * A device's certificate signing request (PKCS#10), checked before the CA signs anything: PEM holding
 * exactly one request, a valid self-signature (the device holds the private key), an EC key on P-256
 * (what device secure elements and ADP/1 signatures use), and subject CN = the device id in canonical
 * form. Every refusal says which of these failed, never the parser's text.
 */
public final class DeviceCsr {
    /** The largest PEM accepted: a P-256 request is about 400 bytes. */
    static final int MAX_PEM = 8 * 1024;

    private DeviceCsr() {
    }

    /** The verified public key of a request for {@code deviceId}. */
    public static PublicKey verifiedKey(String pem, long deviceId) throws PkiException {
        if (pem == null || pem.isBlank()) {
            throw new PkiException("csr: empty; send the PEM text of a PKCS#10 request (-----BEGIN CERTIFICATE REQUEST-----)");
        }
        if (pem.length() > MAX_PEM) {
            throw new PkiException("csr: longer than " + MAX_PEM + " characters; a P-256 request is about 400");
        }
        PKCS10CertificationRequest request = parse(pem);
        JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
        PublicKey key;
        try {
            key = jca.setProvider(CertificateAuthority.BC).getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException("csr: its public key cannot be read");
        }
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
            throw new PkiException("csr: the key must be EC on curve P-256 (secp256r1), as ADP/1 signatures are");
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(CertificateAuthority.BC)
                    .build(request.getSubjectPublicKeyInfo()))) {
                throw new PkiException("csr: its signature does not verify: it was not signed with the key it carries");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new PkiException("csr: its signature cannot be checked (use ECDSA with SHA-256)");
        }
        String expected = DeviceIds.format(deviceId);
        RDN[] cns = request.getSubject().getRDNs(BCStyle.CN);
        String cn = cns.length == 1 ? IETFUtils.valueToString(cns[0].getFirst().getValue()) : null;
        if (!expected.equals(cn)) {
            throw new PkiException("csr: the subject CN must be the device id " + expected + " (16 lower-case hex digits)"
                    + (cn == null ? "; it has " + cns.length + " CNs" : ""));
        }
        return key;
    }

    private static PKCS10CertificationRequest parse(String pem) throws PkiException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object first = parser.readObject();
            if (!(first instanceof PKCS10CertificationRequest request)) {
                throw new PkiException("csr: no PEM certificate request found (-----BEGIN CERTIFICATE REQUEST-----)");
            }
            if (parser.readObject() != null) {
                throw new PkiException("csr: more than one PEM object; send the request alone");
            }
            return request;
        } catch (IOException | RuntimeException e) {
            throw new PkiException("csr: not a readable PEM certificate request");
        }
    }

    private static boolean isP256(ECParameterSpec params) {
        return params != null && params.getCurve().getField().getFieldSize() == 256
                && params.getOrder().equals(EcP256.ORDER);
    }

    /** The order n of P-256 (FIPS 186-4 D.1.2.3), to tell it from other 256-bit curves. */
    private static final class EcP256 {
        static final java.math.BigInteger ORDER = new java.math.BigInteger(
                "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    }
}
