package nl.aware.gateway.cli;

import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.CertificateExpiry;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.gateway.ConfigurationException;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.PkiSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "ca", mixinStandardHelpOptions = true, description = "The deployment's device CA.",
        subcommands = {CaCommand.Init.class, CaCommand.IssueClient.class})
final class CaCommand {
    /** A client name is a certificate CN and a file name: plain lowercase words, nothing a path could hide in. */
    private static final Pattern CLIENT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the device CA (ECDSA P-256) and the gateway's TLS certificate. Refuses to replace an existing CA.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Option(names = "--name", defaultValue = "AWARE", description = "Deployment name used in certificate names (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--dns", split = ",", defaultValue = "localhost",
                description = "Host names devices use to reach the gateway (default: ${DEFAULT-VALUE}).")
        List<String> dnsNames;

        @Option(names = "--ip", split = ",", defaultValue = "127.0.0.1",
                description = "IP addresses devices use to reach the gateway (default: ${DEFAULT-VALUE}).")
        List<String> ipAddresses;

        @Override
        public Integer call() throws Exception {
            var ca = PkiSetup.initialize(data.data(), name, dnsNames, ipAddresses);
            spec.commandLine().getOut().printf("device CA and gateway certificate written to %s (CA valid %d days)%n",
                    data.data().pki(), CertificateExpiry.remaining(ca.certificate(), Instant.now()).toDays());
            return 0;
        }
    }

    @Command(name = "issue-client", mixinStandardHelpOptions = true,
            description = {"Issue a client certificate from the deployment CA (ECDSA P-256, EKU clientAuth), e.g. the "
                    + "one dispatch presents to the police and Kadera (`tls.client.certificate`, `tls.client.key`).",
                    "Writes OUT/NAME.pem (the certificate, then the CA: the chain) and OUT/NAME-key.pem (the private "
                    + "key, mode 0600). Refuses to overwrite either file.",
                    "Exit codes: 0 written, 2 bad option, 3 no CA in the data directory or a file already there."})
    static final class IssueClient implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "Common Name, also the file name: lowercase letters, digits and '-', e.g. dispatch-client.")
        String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the two files to (created if missing).")
        Path out;

        @Option(names = "--days", defaultValue = "397", paramLabel = "DAYS",
                description = "Validity in days, 1..825 (default: ${DEFAULT-VALUE}, as the gateway's certificate).")
        int days;

        @Override
        public Integer call() throws Exception {
            if (!CLIENT_NAME.matcher(name).matches()) {
                throw new ParameterException(spec.commandLine(), "--name must be lowercase letters, "
                        + "digits and '-', start with a letter, at most 63 characters; was \""
                        + name + "\"");
            }
            if (days < 1 || days > 825) {
                throw new ParameterException(spec.commandLine(), "--days must be 1..825, was " + days);
            }
            DataDirectory dir = data.data();
            if (!Files.isRegularFile(dir.caCertificate()) || !Files.isRegularFile(dir.caKey())) {
                throw new ConfigurationException("no deployment CA in " + dir.pki()
                        + ": run `aware ca init --data-dir " + data.dataDir + "` first");
            }
            var ca = CertificateAuthority.load(dir.caCertificate(), dir.caKey());
            IssuedCredential credential;
            try {
                credential = ca.issueClient(name, Duration.ofDays(days));
            } catch (IllegalArgumentException e) { // a CN that looks like a device id: never a client's
                throw new ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
            Files.createDirectories(out);
            Path certificate = out.resolve(name + ".pem");
            Path key = out.resolve(name + "-key.pem");
            credential.writePemChain(certificate, key);
            spec.commandLine().getOut().printf("client certificate CN=%s written to %s (chain: it, then the CA) and its key "
                    + "to %s (valid %d days)%n", name, certificate, key, days);
            return 0;
        }
    }
}
