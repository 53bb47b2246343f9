package nl.aware.gateway.netty;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Copies of a TLS peer's certificates, parsed apart from the session. The OpenSSL provider hands the
 * trust manager lazy certificates that keep their parsed form once anything reads a field; the session
 * holds them for the connection's life, so checking the originals would keep a parsed certificate (about
 * 2 KiB of heap) per held connection. The copies are garbage once the check is done.
 */
final class DetachedCertificates {
    private DetachedCertificates() {
    }

    static X509Certificate[] of(X509Certificate[] chain) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate[] copies = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            copies[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(chain[i].getEncoded()));
        }
        return copies;
    }
}
