package nl.aware.dispatch.police;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * POSTs JSON with an idempotency key over mutual TLS 1.3 and turns the answer into a receipt or a
 * {@link DeliveryException}. One poster per receiver group, so one slow receiver's connections
 * never queue another's requests. The connections are kept alive and reused ({@link KeptAliveClient}).
 */
public final class HttpsPoster implements AutoCloseable {
    private final KeptAliveClient client;

    /** On the given I/O threads with the given client TLS (see {@link ClientTls}). */
    public HttpsPoster(SslContext tls, Duration timeout, EventLoopGroup group) {
        this.client = new KeptAliveClient(tls, timeout, group, false);
    }

    /** With a JDK TLS context and an I/O thread of its own, ended by {@link #close()} (tools and tests). */
    public HttpsPoster(SSLContext tls, Duration timeout) {
        this.client = new KeptAliveClient(ClientTls.fromJdk(tls), timeout, ClientTls.ioThreads(1, "https-poster"), true);
    }

    /** Completes with the receipt; the reference is the response's "incidentRef" when there is one. */
    public CompletableFuture<Receipt> post(Endpoint endpoint, String path, String idempotencyKey, byte[] body) {
        return client.exchange(endpoint.resolve(path), HttpMethod.POST, idempotencyKey, body)
                .handle((answer, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        throw new CompletionException(new DeliveryException(endpoint.name(),
                                cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                                false));
                    }
                    int status = answer.status();
                    if (status / 100 != 2) {
                        boolean permanent = status / 100 == 4 && status != 408 && status != 429;
                        throw new CompletionException(new DeliveryException(endpoint.name(), "HTTP " + status, permanent));
                    }
                    return new Receipt(endpoint.name(), reference(answer.body()));
                });
    }

    /**
     * Opens (or reuses) a connection to the endpoint and checks it: the mutual-TLS handshake and one
     * {@code HEAD {base}}. Completes with the HTTP status (any status means the endpoint is reachable
     * and takes our certificate), or exceptionally when it is not.
     */
    public CompletableFuture<Integer> probe(Endpoint endpoint) {
        return client.exchange(endpoint.base(), HttpMethod.HEAD, null, null).thenApply(KeptAliveClient.Answer::status);
    }

    /** Closes the idle connections (and the I/O thread when this poster made its own). */
    @Override
    public void close() {
        client.close();
    }

    private static String reference(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode node = PoliceMessages.json().readTree(body);
            JsonNode ref = node == null ? null : node.get("incidentRef");
            return ref == null || !ref.isTextual() ? "" : ref.asText();
        } catch (java.io.IOException e) {
            return ""; // the receiver accepted; an unreadable body only costs us the reference
        }
    }
}
