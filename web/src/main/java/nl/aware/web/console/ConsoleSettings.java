package nl.aware.web.console;

import nl.aware.http.SecurityHeaders;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.Locale;

/**
 * Deployment settings the console needs in the browser: the map's tile source. PDOK's
 * BRT-Achtergrondkaart is the Dutch public default; a deployment without internet access points it at
 * its own tile server. When no tile can be fetched the console still draws the track on a plain
 * background with a scale bar.
 *
 * @param tileUrl     an https URL template with {z}, {x} and {y}
 * @param attribution the map's credit line, shown on the map
 */
public record ConsoleSettings(String tileUrl, String attribution) {
    public static final String PDOK_TILES =
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png";
    public static final String PDOK_ATTRIBUTION = "Kaartgegevens © Kadaster (PDOK)";
    public static final ConsoleSettings DEFAULTS = new ConsoleSettings(PDOK_TILES, PDOK_ATTRIBUTION);

    public ConsoleSettings {
        if (tileUrl == null || !tileUrl.contains("{z}") || !tileUrl.contains("{x}") || !tileUrl.contains("{y}")) {
            throw new IllegalArgumentException("the map tile URL must contain {z}, {x} and {y}");
        }
        URI uri;
        try {
            uri = URI.create(tileUrl.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the map tile URL is not a URL");
        }
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("the map tile URL must be https://host/…");
        }
        if (attribution == null) {
            attribution = "";
        }
    }

    /** The tile server's origin, the one image source besides our own in the console's CSP. */
    public String tileOrigin() {
        return ConsoleFiles.origin(tileUrl);
    }

    /**
     * The browser headers of the staff port, its strict Content-Security-Policy among them: the map's tile
     * server is the one image source besides the port's own origin.
     */
    public SecurityHeaders securityHeaders() {
        return SecurityHeaders.forBrowsers(tileOrigin());
    }

    String json() {
        return new ObjectMapper().createObjectNode().put("tileUrl", tileUrl).put("attribution", attribution).toString();
    }
}
