package nl.aware.dispatch.police;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** JDK TLS contexts for dispatch's HTTPS: TLS 1.3 only, our client certificate always presented. */
public final class MutualTls {
    public static final String TLS_1_3 = "TLSv1.3";

    private MutualTls() {
    }

    public static SSLContext context(PrivateKey key, X509Certificate[] chain, X509Certificate... trusted)
            throws GeneralSecurityException {
        try {
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("self", key, password, chain);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                anchors.setCertificateEntry("trusted-" + i, trusted[i]);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(anchors);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot build an in-memory key store", e);
        }
    }

    public static SSLParameters tls13Only() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {TLS_1_3});
        return parameters;
    }
}
