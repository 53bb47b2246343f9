package nl.aware.gateway.cli;

import nl.aware.records.evidence.BundleVerifier;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code aware log verify-bundle}: checks an evidence bundle on its own, no server, no data directory. */
@Command(name = "verify-bundle", mixinStandardHelpOptions = true,
        description = "Verify an evidence bundle offline: record hashes and chain, device signatures, certificate chain, "
                + "and that every readable field matches the bytes it was taken from. Needs no server and no keys. "
                + "Exit 0 verified, 1 damaged (names the first file and record that is wrong).")
final class BundleVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE.zip|DIR", description = "The bundle to verify.")
    Path bundle;

    @Option(names = "--trust-ca", paramLabel = "PEM",
            description = "The device CA to trust (e.g. Kadera's published certificate); the bundle's ca.pem must be it. "
                    + "Without it the bundle's own CA is used and its fingerprint printed for comparison.")
    Path trustCa;

    @Option(names = {"-k", "--key-dir"}, paramLabel = "DIR",
            description = "Optional: data keys; adds the check that each clear frame is byte for byte the one sealed in its record.")
    Path keyDir;

    @Override
    public Integer call() throws Exception {
        BundleVerifier verifier = new BundleVerifier(trustCa == null ? null : Pem.readCertificate(trustCa),
                keyDir == null ? null : DataKeyRing.load(keyDir));
        BundleVerifier.Result result = verifier.check(bundle);
        if (result.ok()) {
            var out = spec.commandLine().getOut();
            out.println("bundle OK: " + bundle);
            result.summary().forEach(line -> out.println("  " + line));
            return 0;
        }
        spec.commandLine().getErr().println("bundle DAMAGED: " + result.problem());
        return AwareCommand.CHECK_FAILED;
    }
}
