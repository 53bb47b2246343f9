package nl.aware.simulator.controlroom;

import io.netty.handler.ssl.SslContext;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.gateway.netty.TlsContexts;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * What every simulated receiver shares: an {@link HttpsReceiver} presenting a server certificate
 * and requiring client certificates chained to one trusted CA, and the switches tests use to make
 * it slow, flaky or unreachable. Subclasses supply the route.
 */
public abstract class SimulatedReceiver implements AutoCloseable {
    private final ReceiverOptions options;
    private final HttpsReceiver receiver;

    protected SimulatedReceiver(ReceiverOptions options, IssuedCredential serverCredential,
                                X509Certificate trustedClientCa) throws SSLException {
        this.options = options;
        SslContext tls = TlsContexts.server(serverCredential.privateKey(), serverCredential.certificate(),
                serverCredential.issuer(), trustedClientCa);
        this.receiver = new HttpsReceiver(options, tls, this::route);
    }

    /** Handles one request; runs on the receiver's single route thread. */
    abstract Route.Reply route(Route.Request request);

    public String name() {
        return options.name();
    }

    public ReceiverOptions options() {
        return options;
    }

    /** Starts listening; after {@link #stop()} a new start listens on the same port. */
    public void start() throws InterruptedException {
        receiver.start();
    }

    /** Closes the port and every connection and ends the threads; what was received is kept. */
    public void stop() {
        receiver.stop();
    }

    /** Simulates an outage: the listening socket and every connection close; threads and data stay. */
    public void down() {
        receiver.down();
    }

    /** Ends an outage: listens again on the same port. */
    public void up() throws InterruptedException {
        receiver.up();
    }

    public boolean listening() {
        return receiver.listening();
    }

    public int port() {
        return receiver.port();
    }

    /** The base URL to configure as this receiver's endpoint, e.g. https://127.0.0.1:41234/. */
    public URI baseUrl() {
        String host = options.bindAddress().contains(":") ? "[" + options.bindAddress() + "]" : options.bindAddress();
        return URI.create("https://" + host + ":" + port() + "/");
    }

    /** Answers this long after handling each request from now on. */
    public void responseDelay(Duration delay) {
        receiver.responseDelay(delay);
    }

    /** Answers 503 (without handling) to this share of requests from now on. */
    public void failureShare(double share) {
        receiver.failureShare(share);
    }

    /** Answers the failure share with this status from now on (503 by default; 400 to refuse as invalid). */
    public void failureStatus(int status) {
        receiver.failureStatus(status);
    }

    /** Every complete HTTP request read, whatever was answered. */
    public long requests() {
        return receiver.requests();
    }

    /** TLS handshakes that succeeded: one per connection a client opened. */
    public long handshakes() {
        return receiver.handshakes();
    }

    /** Requests answered 503 by the failure share. */
    public long injectedFailures() {
        return receiver.injectedFailures();
    }

    /** TLS handshakes that failed (for example a client certificate from another CA). */
    public long refusedHandshakes() {
        return receiver.refusedHandshakes();
    }

    @Override
    public void close() {
        stop();
    }
}
