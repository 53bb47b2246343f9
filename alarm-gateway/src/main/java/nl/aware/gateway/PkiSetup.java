package nl.aware.gateway;

import nl.aware.core.files.OwnerOnly;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** Creates a deployment's device CA and the gateway's certificate in the data directory's layout. */
public final class PkiSetup {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    public static final Duration DEVICE_VALIDITY = Duration.ofDays(1825);

    private PkiSetup() {
    }

    /** Refuses to touch an existing PKI: replacing the CA would orphan every enrolled device. */
    public static CertificateAuthority initialize(DataDirectory data, String deploymentName, List<String> dnsNames,
                                                  List<String> ipAddresses) throws IOException, ConfigurationException {
        if (Files.exists(data.caCertificate()) || Files.exists(data.caKey())) {
            throw new ConfigurationException("a device CA already exists in " + data.pki()
                    + "; replacing it would lock out every enrolled device");
        }
        OwnerOnly.directory(data.pki()); // and the data directory above it, when it is new
        CertificateAuthority ca = CertificateAuthority.create(deploymentName + " device CA", CA_VALIDITY);
        ca.save(data.caCertificate(), data.caKey());
        IssuedCredential server = ca.issueServer(deploymentName + " gateway", dnsNames, ipAddresses, SERVER_VALIDITY);
        server.writePem(data.serverCertificate(), data.serverKey());
        return ca;
    }
}
