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

    /**
     * An answer: the HTTP status, the JSON body (an empty object when there is none or it is not JSON),
     * and the raw body with its media type (a report, an evidence bundle).
     */
    public record Reply(int status, JsonNode body, String contentType, byte[] bytes,
                        java.net.http.HttpHeaders headers) {
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

    /**
     * Signs in with the password and the second factor (enrolling one at the first sign-in); the token,
     * or an exception with the server's reason.
     */
    public String login(String username, char[] password, SecondFactor factor) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", new String(password));
        Reply first = send("POST", "/staff/v1/login", null, body);
        if (first.status() != 200) {
            throw new StaffClientException(first);
        }
        String challenge = first.body().path("challenge").asText();
        String next = first.body().path("next").asText();
        Reply reply;
        if (next.equals("enrol")) {
            String code = factor.enrol(first.body().path("secret").asText(), first.body().path("otpauthUri").asText());
            reply = send("POST", "/staff/v1/login/enrol", null,
                    JSON.createObjectNode().put("challenge", challenge).put("code", code));
            if (reply.status() == 200) {
                java.util.List<String> codes = new java.util.ArrayList<>();
                reply.body().path("recoveryCodes").forEach(c -> codes.add(c.asText()));
                factor.recoveryCodes(codes);
            }
        } else if (next.equals("totp")) {
            reply = send("POST", "/staff/v1/login/totp", null,
                    JSON.createObjectNode().put("challenge", challenge).put("code", factor.code()));
        } else {
            throw new IOException("the server asked for an unknown sign-in step '" + next + "'");
        }
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
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return send(method, path, headers, body == null ? null : JSON.writeValueAsBytes(body));
    }

    /** A request with exactly these headers and body (null: none), e.g. as a browser would send it. */
    public Reply send(String method, String path, java.util.Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("no TLS 1.3 connection to the staff API at " + base + " trusting the given CA: "
                    + reason(e), e);
        } catch (IOException e) {
            throw new IOException("cannot reach the staff API at " + base + ": " + reason(e)
                    + " (is the server running with its staff API on this address?)", e);
        }
        byte[] bytes = response.body();
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = bytes.length == 0 || !type.startsWith("application/json") ? JSON.createObjectNode()
                : JSON.readTree(bytes);
        return new Reply(response.statusCode(), json, type, bytes, response.headers());
    }

    /** The first message in a failure's chain; the JDK's connect errors often carry none. */
    private static String reason(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return "nothing accepts connections there";
            }
            if (cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return e.getClass().getSimpleName();
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
