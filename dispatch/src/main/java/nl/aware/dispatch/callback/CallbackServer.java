package nl.aware.dispatch.callback;

import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.http.HttpServer;
import nl.aware.http.HttpServerSettings;
import nl.aware.http.ServerTls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The HTTPS endpoint control rooms report an alert's lifecycle to: TLS 1.3, the control room's
 * client certificate required, served by the toolkit ({@link HttpServer}: connection cap, request
 * deadline, one way to answer). One event loop, which also runs the handler: it never blocks (the log
 * append is asynchronous), and a worker cost two thread hand-offs per report, four reports per alert.
 */
public final class CallbackServer implements AutoCloseable {
    public static final String PATH_PREFIX = "/police/v1/alerts/";
    /** Control rooms are a handful of systems; a few connections each is plenty. */
    static final int MAX_CONNECTIONS = 64;

    private final HttpServer http;

    /**
     * @throws IOException when the TLS set-up fails ({@link javax.net.ssl.SSLException}) or the address
     *                     cannot be bound
     */
    public CallbackServer(DispatchConfig.CallbackConfig config, PrivateKey serverKey, X509Certificate[] serverChain,
                          DispatchProjection projection, LifecycleGate gate, MeterRegistry registry) throws IOException {
        ServerTls tls = ServerTls.requiringClientCertificate(serverKey, serverChain, config.trustedClients());
        HttpServerSettings settings = HttpServerSettings.of("control-room callback",
                InetAddress.getByName(config.bindAddress()), config.port(), tls).withMaxConnections(MAX_CONNECTIONS)
                .withWorkerThreads(0);
        http = HttpServer.start(settings, workers -> new StatusCallbackHandler(config.reporters(), projection, gate))
                .meteredIn(registry, "callback");
    }

    public InetSocketAddress address() {
        return http.address();
    }

    @Override
    public void close() {
        http.close();
    }
}
