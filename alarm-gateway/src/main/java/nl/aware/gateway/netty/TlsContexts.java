package nl.aware.gateway.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * TLS 1.3 only, and mutual authentication wherever a machine connects (devices, control rooms); the
 * one exception is the staff API, where people authenticate with a password. BoringSSL (netty-tcnative) is
 * used when its native library loads, for cheaper handshakes; the JDK provider otherwise.
 */
public final class TlsContexts {
    public static final String TLS_1_3 = "TLSv1.3";

    /**
     * What BoringSSL may hold per device connection for handshake bytes it writes while Netty is reading (its server
     * flight, session tickets, alerts). netty-tcnative allocates it with every connection and keeps it for the
     * connection's life, 2,048 bytes by default: about 200 MiB for 100,000 held devices. A flight larger than this
     * waits in BoringSSL and leaves on the next wrap, so a handshake costs no more (docs/performance.md,
     * thirteenth pass).
     */
    static final int DEVICE_HANDSHAKE_BUFFER_BYTES = 256;

    private TlsContexts() {
    }

    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** A server context (a simulated control room) requiring a client certificate chained to the given CA. */
    public static SslContext server(PrivateKey key, X509Certificate certificate, X509Certificate issuer,
                                    X509Certificate trustedClientCa) throws SSLException {
        return SslContextBuilder.forServer(key, certificate, issuer)
                .sslProvider(provider())
                .protocols(TLS_1_3)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trustedClientCa)
                .build();
    }

    /**
     * The device gateway's context: client certificate required and judged by {@code clientTrust}
     * (a {@link DeviceTrust}: chained to the device CA and the device's current certificate).
     */
    public static SslContext deviceServer(PrivateKey key, X509Certificate certificate, X509Certificate issuer,
                                          TrustManager clientTrust) throws SSLException {
        return deviceServer(key, certificate, issuer, clientTrust, provider());
    }

    /** {@link #deviceServer(PrivateKey, X509Certificate, X509Certificate, TrustManager)} on a given provider (tests run both). */
    static SslContext deviceServer(PrivateKey key, X509Certificate certificate, X509Certificate issuer,
                                   TrustManager clientTrust, SslProvider provider) throws SSLException {
        SslContext context = SslContextBuilder.forServer(key, certificate, issuer)
                .sslProvider(provider)
                .protocols(TLS_1_3)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(clientTrust)
                .build();
        if (context instanceof ReferenceCountedOpenSslContext openSsl) {
            openSsl.setBioNonApplicationBufferSize(DEVICE_HANDSHAKE_BUFFER_BYTES);
        }
        return context;
    }

    /** A client (a device, the simulator) presenting its certificate and trusting only the given CA. */
    public static SslContext client(PrivateKey key, X509Certificate certificate, X509Certificate trustedServerCa)
            throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(provider())
                .protocols(TLS_1_3)
                .keyManager(key, certificate)
                .trustManager(trustedServerCa)
                .build();
    }
}
