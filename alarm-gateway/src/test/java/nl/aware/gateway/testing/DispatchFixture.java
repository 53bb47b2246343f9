package nl.aware.gateway.testing;

import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.DispatchConfigFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes a real dispatch configuration file, with a client certificate for dispatch issued by the
 * test deployment's CA, the way an operator would. Police and Kadera endpoints are whatever the test
 * runs (simulated control rooms, or a closed port for "police unreachable").
 */
public final class DispatchFixture {
    public static final String DISPATCH_CLIENT = "aware-dispatch";

    private final Map<Region, String> primary = new EnumMap<>(Region.class);
    private final Map<Region, String> secondary = new EnumMap<>(Region.class);
    private String kadera = "https://127.0.0.1:1/kadera/";
    private Duration escalateAfter = Duration.ofSeconds(15);
    private Duration requestTimeout = Duration.ofSeconds(5);

    /** Every region pointed at a closed port: the police are unreachable until a test says otherwise. */
    public DispatchFixture() {
        for (Region region : Region.values()) {
            primary.put(region, "https://127.0.0.1:1/" + region.label() + "/");
        }
    }

    public DispatchFixture police(Region region, String primaryUrl, String secondaryUrl) {
        primary.put(region, primaryUrl);
        if (secondaryUrl != null) {
            secondary.put(region, secondaryUrl);
        }
        return this;
    }

    public DispatchFixture kadera(String url) {
        this.kadera = url;
        return this;
    }

    public DispatchFixture escalateAfter(Duration after) {
        this.escalateAfter = after;
        return this;
    }

    public DispatchFixture requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** The control-room client name allowed to report for a region. */
    public static String controlRoom(Region region) {
        return "control-room-" + region.label();
    }

    /** Writes dispatch.properties and its PEM files into {@code dir}; the CA trusts and is trusted by all sides. */
    public Path write(Path dir, CertificateAuthority ca) throws IOException {
        Files.createDirectories(dir);
        IssuedCredential client = ca.issueClient(DISPATCH_CLIENT, Duration.ofDays(30));
        client.writePem(dir.resolve("dispatch-client.pem"), dir.resolve("dispatch-client.key.pem"));
        Files.writeString(dir.resolve("trust.pem"), Pem.encode(ca.certificate()));
        StringBuilder properties = new StringBuilder("# written by DispatchFixture\n");
        for (Region region : Region.values()) {
            properties.append("police.").append(region.label()).append(".primary=").append(primary.get(region)).append('\n');
            if (secondary.containsKey(region)) {
                properties.append("police.").append(region.label()).append(".secondary=").append(secondary.get(region)).append('\n');
            }
            properties.append("callback.").append(region.label()).append(".client=").append(controlRoom(region)).append('\n');
        }
        properties.append("kadera.url=").append(kadera).append('\n')
                .append("dispatch.escalate-after=").append(escalateAfter).append('\n')
                .append("dispatch.request-timeout=").append(requestTimeout).append('\n')
                .append("tls.client.certificate=dispatch-client.pem\n")
                .append("tls.client.key=dispatch-client.key.pem\n")
                .append("tls.trust=trust.pem\n")
                .append("callback.bind=127.0.0.1\n")
                .append("callback.port=0\n")
                .append("callback.trust=trust.pem\n");
        Path file = dir.resolve("dispatch.properties");
        Files.writeString(file, properties);
        return file;
    }

    public DispatchConfig load(Path dir, CertificateAuthority ca) throws Exception {
        return DispatchConfigFile.load(write(dir, ca));
    }
}
