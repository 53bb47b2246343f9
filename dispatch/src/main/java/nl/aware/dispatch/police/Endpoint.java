package nl.aware.dispatch.police;

import java.net.URI;

/**
 * A receiver's base URL with a short, non-personal name used in the log and metrics
 * (e.g. "ijsselland/primary").
 */
public record Endpoint(String name, URI base) {
    public Endpoint {
        if (!"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("endpoint " + name + " must be https://, was " + base);
        }
    }

    public URI resolve(String path) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(root + path);
    }
}
