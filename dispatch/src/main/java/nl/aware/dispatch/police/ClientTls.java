package nl.aware.dispatch.police;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import nl.aware.http.Transports;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Client TLS for dispatch's HTTPS: TLS 1.3 only, our client certificate always presented, the
 * receiver's name checked against its certificate. OpenSSL (BoringSSL, as the device gateway uses)
 * when it is on the class path: its P-256 and AES-GCM cost a fraction of the JDK's.
 */
public final class ClientTls {
    private ClientTls() {
    }

    public static SslContext context(PrivateKey key, X509Certificate[] chain, X509Certificate... trusted)
            throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(MutualTls.TLS_1_3).keyManager(key, chain).trustManager(trusted)
                .endpointIdentificationAlgorithm("HTTPS").build();
    }

    /** Wraps a JDK context made by {@link MutualTls#context}. */
    static SslContext fromJdk(SSLContext context) {
        return new JdkSslContext(context, true, null, IdentityCipherSuiteFilter.INSTANCE, ApplicationProtocolConfig.DISABLED,
                ClientAuth.NONE, new String[] {MutualTls.TLS_1_3}, false);
    }

    /** Daemon I/O threads: dispatch must never keep a stopping server's JVM alive. */
    public static EventLoopGroup ioThreads(int threads, String name) {
        return Transports.group(threads, new DefaultThreadFactory(name, true));
    }
}
