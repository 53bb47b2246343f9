package nl.aware.dispatch;

import nl.aware.core.event.Region;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.dispatch.police.Endpoint;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@link DispatchConfig} from a properties file. Every key is declared in {@link #KEYS} with
 * what it means (docs/operations.md lists the same); an unknown key, a missing required key or a
 * bad value stops start-up with a message naming the file, the key and what is expected.
 * Relative file paths are resolved against the file's directory.
 */
public final class DispatchConfigFile {
    /** Every key, with its documentation. {@code <region>} is ijsselland or twente. */
    public static final Map<String, String> KEYS = keys();

    private final Path file;
    private final Properties properties;

    private DispatchConfigFile(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Region region : Region.values()) {
            String r = region.label();
            keys.put("receivers." + r, "who receives " + r + "'s alerts: external (the police API), console (the "
                    + "control-room console only) or both (default external)");
            keys.put("police." + r + ".primary", "HTTPS base URL of " + r + "'s police control room (required unless "
                    + "receivers." + r + " = console)");
            keys.put("police." + r + ".secondary", "HTTPS base URL to fail over to (optional, recommended)");
            keys.put("callback." + r + ".client", "CN of the client certificate " + r + "'s control room reports status with "
                    + "(required unless receivers." + r + " = console)");
        }
        keys.put("kadera.url", "HTTPS base URL of Kadera's route for escalations and device notices (required)");
        keys.put("dispatch.escalate-after", "escalate an alert the police have not accepted by then, ISO-8601 (default PT15S)");
        keys.put("dispatch.request-timeout", "one delivery attempt's limit, ISO-8601 (default PT5S)");
        keys.put("tls.client.certificate", "PEM file: our client certificate chain for police and Kadera (required)");
        keys.put("tls.client.key", "PEM file: its private key (required)");
        keys.put("tls.trust", "PEM file: CA certificate(s) of the police and Kadera servers (required)");
        keys.put("callback.bind", "address the status callback listens on (default 0.0.0.0)");
        keys.put("callback.port", "port of the status callback, 0 for any free port (default 8444)");
        keys.put("callback.trust", "PEM file: CA certificate(s) of the control rooms' client certificates (required)");
        return keys;
    }

    public static DispatchConfig load(Path file) throws IOException, ConfigError {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigError(file + ": no such file");
        }
        return new DispatchConfigFile(file, properties).parse();
    }

    private DispatchConfig parse() throws ConfigError, IOException {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS.keySet());
        if (!unknown.isEmpty()) {
            throw new ConfigError(file + ": unknown key(s) " + unknown + "; known keys are " + KEYS.keySet());
        }
        Map<Region, DispatchConfig.RegionRoute> routes = new EnumMap<>(Region.class);
        Map<Region, String> reporters = new EnumMap<>(Region.class);
        for (Region region : Region.values()) {
            String r = region.label();
            Receivers receivers = receivers("receivers." + r);
            routes.put(region, new DispatchConfig.RegionRoute(
                    endpoint("police." + r + ".primary", r + "/primary", receivers.external()),
                    endpoint("police." + r + ".secondary", r + "/secondary", false), receivers));
            if (receivers.external()) {
                reporters.put(region, required("callback." + r + ".client"));
            } else if (properties.containsKey("police." + r + ".primary")) {
                throw new ConfigError(file + ": police." + r + ".primary is set but receivers." + r
                        + " = console: say both, or remove the endpoint");
            }
        }
        DispatchLimits limits = DispatchLimits.defaults().withEscalateAfter(duration("dispatch.escalate-after", "PT15S"));
        List<X509Certificate> chain = certificates("tls.client.certificate");
        DispatchConfig.CallbackConfig callback = new DispatchConfig.CallbackConfig(
                properties.getProperty("callback.bind", "0.0.0.0"), port("callback.port", 8444),
                certificates("callback.trust").toArray(X509Certificate[]::new), reporters);
        try {
            return new DispatchConfig(routes, endpoint("kadera.url", "kadera", true), limits,
                    duration("dispatch.request-timeout", "PT5S"), privateKey("tls.client.key"),
                    chain.toArray(X509Certificate[]::new), certificates("tls.trust").toArray(X509Certificate[]::new),
                    callback);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(file + ": " + e.getMessage());
        }
    }

    private String required(String key) throws ConfigError {
        String value = properties.getProperty(key, "").trim();
        if (value.isEmpty()) {
            throw new ConfigError(file + ": " + key + " is missing: " + KEYS.get(key));
        }
        return value;
    }

    private Endpoint endpoint(String key, String name, boolean required) throws ConfigError {
        String value = required ? required(key) : properties.getProperty(key, "").trim();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return new Endpoint(name, URI.create(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(file + ": " + key + " = '" + value + "' is not an https:// URL");
        }
    }

    private Receivers receivers(String key) throws ConfigError {
        String value = properties.getProperty(key, "external").trim();
        try {
            return Receivers.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(file + ": " + key + " = " + e.getMessage());
        }
    }

    private Duration duration(String key, String fallback) throws ConfigError {
        String value = properties.getProperty(key, fallback).trim();
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigError(file + ": " + key + " = '" + value + "' is not an ISO-8601 duration such as PT15S");
        }
    }

    private int port(String key, int fallback) throws ConfigError {
        String value = properties.getProperty(key, Integer.toString(fallback)).trim();
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new ConfigError(file + ": " + key + " = '" + value + "' is not a port number 0..65535");
    }

    private Path path(String key) throws ConfigError {
        Path path = Path.of(required(key));
        return path.isAbsolute() ? path : file.toAbsolutePath().getParent().resolve(path);
    }

    private List<X509Certificate> certificates(String key) throws ConfigError {
        try {
            List<X509Certificate> certificates = new ArrayList<>(Pem.readCertificates(path(key)));
            if (certificates.isEmpty()) {
                throw new ConfigError(file + ": " + key + " holds no certificate");
            }
            return certificates;
        } catch (PkiException e) {
            throw new ConfigError(file + ": " + key + ": " + e.getMessage());
        }
    }

    private PrivateKey privateKey(String key) throws ConfigError {
        try {
            return Pem.readPrivateKey(path(key));
        } catch (PkiException e) {
            throw new ConfigError(file + ": " + key + ": " + e.getMessage());
        }
    }

    /** A configuration problem, stated for the operator. */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) {
            super(message);
        }
    }
}
