package nl.aware.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The TLS of a toolkit server: always TLS 1.3 only (there is no way to ask for less), with the
 * deployment's server certificate and, for machine clients such as control rooms, a required client
 * certificate chained to the given trust anchors.
 */
public final class ServerTls {
    public static final String TLS_1_3 = "TLSv1.3";

    private final SslContext context;

    private ServerTls(SslContext context) {
        this.context = context;
    }

    /** Server certificate only: people authenticate inside HTTP (staff API). */
    public static ServerTls serverOnly(PrivateKey key, X509Certificate... chain) throws SSLException {
        return new ServerTls(builder(key, chain).clientAuth(ClientAuth.NONE).build());
    }

    /** Mutual TLS: the client must present a certificate chained to one of {@code trusted}. */
    public static ServerTls requiringClientCertificate(PrivateKey key, X509Certificate[] chain,
                                                       X509Certificate... trusted) throws SSLException {
        if (trusted.length == 0) {
            throw new IllegalArgumentException("mutual TLS needs at least one trusted client CA");
        }
        return new ServerTls(builder(key, chain).clientAuth(ClientAuth.REQUIRE).trustManager(trusted).build());
    }

    private static SslContextBuilder builder(PrivateKey key, X509Certificate... chain) {
        Objects.requireNonNull(key, "key");
        if (chain.length == 0) {
            throw new IllegalArgumentException("a server certificate chain is needed");
        }
        return SslContextBuilder.forServer(key, chain).protocols(TLS_1_3);
    }

    SslContext context() {
        return context;
    }
}
