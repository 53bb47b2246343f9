package nl.aware.gateway.netty;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A copy of a TLS peer's certificate, parsed apart from the session. The OpenSSL provider hands the
 * trust manager lazy certificates that keep their parsed form once anything reads a field; the session
 * holds them for the connection's life, so checking the originals would keep a parsed certificate (about
 * 2 KiB of heap) per held connection. The copy is garbage once the check is done.
 */
final class DetachedCertificates {
    private DetachedCertificates() {
    }

    static X509Certificate copy(X509Certificate certificate) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }
}
