package nl.aware.core.pki;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * An X.509 certificate's DER: parsed whole ({@link #parse}, the one place that does), or parts of it found by
 * walking its outer elements without parsing the rest, which is what a handshake needs of a certificate it checks
 * against bytes it already holds. Each part is null when the bytes do not hold the element whole; whatever else
 * they hold is left for the check that follows to refuse.
 */
public final class CertificateDer {
    private CertificateDer() {
    }

    /** The certificate these DER bytes encode. */
    public static X509Certificate parse(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** The TBSCertificate element: the bytes the issuer signed. */
    static byte[] tbs(byte[] der) {
        int[] tbs = tbsElement(der);
        return tbs == null ? null : Arrays.copyOfRange(der, tbs[2], tbs[1]);
    }

    /** The subject Name: after the optional [0] version, the serial, the signature algorithm, issuer and validity. */
    static byte[] subject(byte[] der) {
        int[] tbs = tbsElement(der);
        if (tbs == null) {
            return null;
        }
        int p = tbs[0];
        int[] field = element(der, p);
        if (field != null && der[p] == (byte) 0xa0) {
            p = field[1];
        }
        for (int skipped = 0; skipped < 4; skipped++) {
            field = element(der, p);
            if (field == null) {
                return null;
            }
            p = field[1];
        }
        field = element(der, p);
        return field == null || der[p] != 0x30 ? null : Arrays.copyOfRange(der, p, field[1]);
    }

    /** {content start, end, element start} of the TBSCertificate, the first element of the Certificate sequence. */
    private static int[] tbsElement(byte[] der) {
        int[] certificate = element(der, 0);
        if (certificate == null || der[0] != 0x30) {
            return null;
        }
        int[] tbs = element(der, certificate[0]);
        if (tbs == null || der[certificate[0]] != 0x30) {
            return null;
        }
        return new int[] {tbs[0], tbs[1], certificate[0]};
    }

    /** The element at {@code p} (one-byte tag): {content start, element end}; null when it is not all there. */
    private static int[] element(byte[] der, int p) {
        if (p < 0 || p + 2 > der.length) {
            return null;
        }
        int length = der[p + 1] & 0xff;
        int content = p + 2;
        if (length > 0x7f) {
            int lengthBytes = length & 0x7f;
            if (lengthBytes == 0 || lengthBytes > 3 || content + lengthBytes > der.length) {
                return null;
            }
            length = 0;
            for (int i = 0; i < lengthBytes; i++) {
                length = (length << 8) | (der[content++] & 0xff);
            }
        }
        return content + length > der.length ? null : new int[] {content, content + length};
    }
}
