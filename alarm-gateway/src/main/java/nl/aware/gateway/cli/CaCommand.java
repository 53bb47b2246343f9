package nl.aware.gateway.cli;

import nl.aware.core.pki.CertificateExpiry;
import nl.aware.gateway.PkiSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ca", mixinStandardHelpOptions = true, description = "The deployment's device CA.",
        subcommands = CaCommand.Init.class)
final class CaCommand {

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
}
