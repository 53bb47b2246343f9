package nl.aware.core.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test helper (shared through the test-jar): JDK TLS 1.3 contexts from issued credentials. */
public final class TestTls {
    private static final char[] PASSWORD = "test".toCharArray();

    private TestTls() {
    }

    /** An SSLContext presenting {@code own} and trusting only {@code trustAnchor}. */
    public static SSLContext context(IssuedCredential own, X509Certificate trustAnchor) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(own.toKeyStore(PASSWORD, "key"), PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry("ca", trustAnchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
