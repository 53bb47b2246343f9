package nl.aware.gateway.cli;

import nl.aware.core.crypto.DataKeyRing;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where the data keys are: a directory apart from the data directory (or $AWARE_KEY_DIR). */
final class KeyDirOption {
    @Option(names = {"-k", "--key-dir"}, required = true, paramLabel = "DIR", defaultValue = "${env:AWARE_KEY_DIR}",
            description = "Directory of the data keys that encrypt personal data at rest; keep it apart from the data "
                    + "directory (default: $AWARE_KEY_DIR).")
    Path keyDir;

    DataKeyRing load() throws IOException {
        return DataKeyRing.load(keyDir);
    }
}
