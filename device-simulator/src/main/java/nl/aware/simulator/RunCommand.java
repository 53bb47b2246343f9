package nl.aware.simulator;

import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.simulator.device.City;
import nl.aware.simulator.device.DeviceFleet;
import nl.aware.simulator.device.DeviceSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Devices against a server that is already running, with credentials written by {@code aware device enroll}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Connect enrolled devices to a running server and press PANIC at random.",
                "Credentials: a directory of <16-hex-id>.pem and <16-hex-id>.key.pem files (as `aware device enroll --out` writes)."})
final class RunCommand implements Callable<Integer> {
    private static final Pattern CERTIFICATE_FILE = Pattern.compile("[0-9a-f]{16}\\.pem");

    @Spec
    CommandSpec spec;

    @Mixin
    LoadOptions load;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Server host; its certificate must name it (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7443", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ca", required = true, paramLabel = "PEM",
            description = "The deployment's CA certificate (pki/ca.pem): the server must chain to it.")
    Path caFile;

    @Option(names = "--credentials", required = true, paramLabel = "DIR",
            description = "Directory of device credentials: <id>.pem and <id>.key.pem per device.")
    Path credentials;

    @Option(names = "--devices", paramLabel = "N",
            description = "Use at most N of the devices found (default: all).")
    Integer maxDevices;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        if (port < 1 || port > 65535) {
            throw new CommandLine.ParameterException(cmd, "--port must be 1..65535, was " + port);
        }
        if (maxDevices != null && maxDevices < 1) {
            throw new CommandLine.ParameterException(cmd, "--devices must be at least 1");
        }
        DeviceSettings settings = load.settings(cmd);
        PrintWriter out = cmd.getOut();
        X509Certificate ca = Pem.readCertificate(caFile);
        List<Path> certificates = certificateFiles(cmd);
        try (DeviceFleet fleet = new DeviceFleet(host, port, ca, settings, load.ioThreads)) {
            for (int i = 0; i < certificates.size(); i++) {
                Path certificate = certificates.get(i);
                String id = idOf(certificate);
                IssuedCredential credential = new IssuedCredential(Pem.readCertificate(certificate),
                        Pem.readPrivateKey(certificate.resolveSibling(id + ".key.pem")), ca);
                fleet.add(DeviceIds.parse(id), credential, City.forIndex(i));
            }
            out.printf("%d devices from %s against %s:%d%n", certificates.size(), credentials, host, port);
            return new LoadRun(fleet, out).run(load) ? 0 : 1;
        }
    }

    private List<Path> certificateFiles(CommandLine cmd) throws IOException, PkiException {
        if (!Files.isDirectory(credentials)) {
            throw new CommandLine.ParameterException(cmd, "--credentials " + credentials + " is not a directory");
        }
        List<Path> found;
        try (Stream<Path> files = Files.list(credentials)) {
            found = files.filter(p -> CERTIFICATE_FILE.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolveSibling(idOf(p) + ".key.pem")))
                    .sorted().limit(maxDevices == null ? Long.MAX_VALUE : maxDevices).toList();
        }
        if (found.isEmpty()) {
            throw new PkiException("no device credentials (<16-hex-id>.pem with <16-hex-id>.key.pem) in " + credentials);
        }
        return found;
    }

    private static String idOf(Path certificate) {
        String name = certificate.getFileName().toString();
        return name.substring(0, name.length() - ".pem".length());
    }
}
