package nl.aware.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The headers every answer of a server carries, whatever wrote it (a route, an error, the codec's own
 * 413). {@code Cache-Control: no-store} always: answers hold personal data or live state. For servers a
 * browser may open (the staff API and its console) a strict Content-Security-Policy as a header, HSTS,
 * no referrer, no type sniffing, no window sharing with other origins.
 */
public final class SecurityHeaders {
    public static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    public static final String STRICT_TRANSPORT_SECURITY = "Strict-Transport-Security";
    public static final String REFERRER_POLICY = "Referrer-Policy";
    public static final String X_CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    public static final String CROSS_ORIGIN_OPENER_POLICY = "Cross-Origin-Opener-Policy";

    /** One year; browsers remember to use HTTPS only. */
    static final String HSTS = "max-age=31536000; includeSubDomains";

    private final Map<String, String> headers;

    private SecurityHeaders(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    /**
     * For a server people open in a browser. Scripts, styles and everything else from the server's own
     * origin only (no inline script), no plugins, no {@code <base>}, forms only to itself, never in a frame.
     *
     * @param extraImageSources further image sources, e.g. the map's tile host ({@code https://tiles.example});
     *                          empty for none
     */
    public static SecurityHeaders forBrowsers(String extraImageSources) {
        Objects.requireNonNull(extraImageSources, "extraImageSources");
        if (extraImageSources.contains(";") || extraImageSources.contains(",") || extraImageSources.contains("'")
                || extraImageSources.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("image sources are space-separated origins, e.g. https://tiles.example");
        }
        String images = ("img-src 'self' data: " + extraImageSources).strip();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CONTENT_SECURITY_POLICY, "default-src 'self'; script-src 'self'; style-src 'self'; " + images
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        headers.put(STRICT_TRANSPORT_SECURITY, HSTS);
        headers.put(REFERRER_POLICY, "no-referrer");
        headers.put(X_CONTENT_TYPE_OPTIONS, "nosniff");
        headers.put(CROSS_ORIGIN_OPENER_POLICY, "same-origin");
        return new SecurityHeaders(headers);
    }

    /** For machine clients (Prometheus, a control room's system): no caching, no sniffing, no referrer. */
    public static SecurityHeaders forMachines() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(REFERRER_POLICY, "no-referrer");
        headers.put(X_CONTENT_TYPE_OPTIONS, "nosniff");
        return new SecurityHeaders(headers);
    }

    /** Sets the headers (and {@code Cache-Control: no-store}) on an outgoing response. */
    void applyTo(HttpHeaders response) {
        response.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        headers.forEach(response::set);
    }

    /** The headers by name (Cache-Control not included). */
    public Map<String, String> asMap() {
        return headers;
    }
}
