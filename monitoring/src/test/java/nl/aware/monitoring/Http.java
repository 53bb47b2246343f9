package nl.aware.monitoring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real HTTP client against a running {@link MetricsServer}, and a reader for Prometheus text. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> get(InetSocketAddress server, String path) throws IOException, InterruptedException {
        return send(server, HttpRequest.newBuilder(uri(server, path)).GET());
    }

    public static HttpResponse<String> send(InetSocketAddress server, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static URI uri(InetSocketAddress server, String path) {
        return URI.create("http://" + server.getAddress().getHostAddress() + ":" + server.getPort() + path);
    }

    /**
     * The value of one series in a Prometheus text scrape, e.g. {@code aware_test_total{region="twente"}};
     * labels must be written in the order the registry writes them (alphabetical). Fails when absent.
     */
    public static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("series " + series + " not in scrape:\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }
}
