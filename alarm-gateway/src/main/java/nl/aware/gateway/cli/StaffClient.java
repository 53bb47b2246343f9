package nl.aware.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * An HTTPS client of the staff API (TLS 1.3, trusting only the deployment's CA, host name checked):
 * what {@code aware staff} uses, and what the tests use.
 */
public final class StaffClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: the HTTP status and the JSON body (an empty object when there is none). */
    public record Reply(int status, JsonNode body) {
        /** The server's error message, or the status when it sent none. */
        public String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    private final URI base;
    private final HttpClient http;

    public StaffClient(URI base, X509Certificate trustedCa) throws GeneralSecurityException, IOException {
        if (!"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("the staff API is HTTPS only: " + base);
        }
        this.base = base;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("deployment-ca", trustedCa);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, factory.getTrustManagers(), null);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(parameters)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Logs in; the token, or an exception with the server's reason. */
    public String login(String username, char[] password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", new String(password));
        Reply reply = send("POST", "/staff/v1/login", null, body);
        if (reply.status() != 200) {
            throw new StaffClientException(reply);
        }
        return reply.body().path("token").asText();
    }

    public Reply get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    public Reply post(String path, String token, JsonNode body) throws IOException, InterruptedException {
        return send("POST", path, token, body);
    }

    public Reply send(String method, String path, String token, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] bytes = response.body();
        JsonNode json = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        return new Reply(response.statusCode(), json);
    }

    /** A refused request, with the server's reason. */
    public static final class StaffClientException extends IOException {
        private final transient Reply reply;

        StaffClientException(Reply reply) {
            super(reply.error());
            this.reply = reply;
        }

        public int status() {
            return reply.status();
        }
    }
}
