package nl.aware.gateway;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a deployment keeps its files. One layout, used by the server and the command-line tool:
 * <pre>
 *   DIR/log/               the event log (segments, LOCK)
 *   DIR/pki/ca.pem         the device CA certificate (also signs the server certificate)
 *   DIR/pki/ca.key.pem     its private key (0600; move it offline once devices are enrolled)
 *   DIR/pki/server.pem     the gateway's TLS certificate
 *   DIR/pki/server.key.pem its private key (0600)
 * </pre>
 */
public record DataDirectory(Path root) {
    public Path log() {
        return root.resolve("log");
    }

    public Path pki() {
        return root.resolve("pki");
    }

    public Path caCertificate() {
        return pki().resolve("ca.pem");
    }

    public Path caKey() {
        return pki().resolve("ca.key.pem");
    }

    public Path serverCertificate() {
        return pki().resolve("server.pem");
    }

    public Path serverKey() {
        return pki().resolve("server.key.pem");
    }

    /** A clear message when the PKI was never set up, instead of a file-not-found deep in TLS code. */
    public void requirePki() throws ConfigurationException {
        for (Path file : new Path[] {caCertificate(), serverCertificate(), serverKey()}) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException("missing " + file + ": run `aware ca init --data-dir " + root
                        + "` once to create the device CA and the server certificate");
            }
        }
    }
}
