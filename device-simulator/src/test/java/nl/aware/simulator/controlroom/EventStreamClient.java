package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A console's live stream as a test reads it: a real HTTPS connection, parsed into Server-Sent Events. */
public final class EventStreamClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its id (null when none), name, and JSON data; {@code atNanos} when it arrived. */
    public record Sse(String id, String event, JsonNode data, long atNanos) {
    }

    private final List<Sse> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile Stream<String> lines;
    volatile boolean ended;
    /** The stream ended with its last chunk, not a broken connection. */
    volatile boolean endedCleanly;
    volatile int status;

    public EventStreamClient(URI uri, X509Certificate ca, String token, String lastEventId) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, factory.getTrustManagers(), null);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        HttpClient http = HttpClient.newBuilder().sslContext(tls).sslParameters(parameters)
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            lines = r.body();
            Thread reader = new Thread(() -> read(r.body()), "test-sse-reader");
            reader.setDaemon(true);
            reader.start();
        });
    }

    private void read(Stream<String> body) {
        String id = null;
        String event = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) body::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Sse(id, event, JSON.readTree(data.toString()), System.nanoTime()));
                    }
                    id = null;
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            endedCleanly = true;
        } catch (Exception e) {
            // the connection ended (server stopped or test closed it)
        } finally {
            ended = true;
        }
    }

    List<Sse> events() {
        return events;
    }

    public List<Sse> named(String name) {
        return events.stream().filter(e -> e.event().equals(name)).toList();
    }

    /** The id of the last event that had one: where a reconnect resumes. */
    String lastId() {
        String last = null;
        for (Sse event : events) {
            if (event.id() != null) {
                last = event.id();
            }
        }
        return last;
    }

    @Override
    public void close() {
        Stream<String> open = lines;
        if (open != null) {
            open.close();
        }
        response.cancel(true);
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
