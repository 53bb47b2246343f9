package nl.aware.dispatch.police;

import com.fasterxml.jackson.databind.JsonNode;

import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs JSON with an idempotency key over mutual TLS 1.3 and turns the answer into a receipt or a
 * {@link DeliveryException}. One client per receiver group, so one slow receiver's connections
 * never queue another's requests.
 */
public final class HttpsPoster {
    private final HttpClient client;
    private final Duration timeout;

    public HttpsPoster(SSLContext tls, Duration timeout) {
        this.client = HttpClient.newBuilder().sslContext(tls).sslParameters(MutualTls.tls13Only())
                .connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
    }

    /** Completes with the receipt; the reference is the response's "incidentRef" when there is one. */
    public CompletableFuture<Receipt> post(Endpoint endpoint, String path, String idempotencyKey, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        throw new java.util.concurrent.CompletionException(new DeliveryException(endpoint.name(),
                                cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                                false));
                    }
                    int status = response.statusCode();
                    if (status / 100 != 2) {
                        boolean permanent = status / 100 == 4 && status != 408 && status != 429;
                        throw new java.util.concurrent.CompletionException(
                                new DeliveryException(endpoint.name(), "HTTP " + status, permanent));
                    }
                    return new Receipt(endpoint.name(), reference(response.body()));
                });
    }

    /**
     * Opens (or reuses) a connection to the endpoint and checks it: the mutual-TLS handshake and one
     * {@code HEAD {base}}. Completes with the HTTP status (any status means the endpoint is reachable
     * and takes our certificate), or exceptionally when it is not.
     */
    public CompletableFuture<Integer> probe(Endpoint endpoint) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.base()).timeout(timeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
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
