package nl.aware.gateway.cli;

import nl.aware.gateway.DataDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The one option every command shares. */
final class DataDirOption {
    @Option(names = {"-d", "--data-dir"}, required = true, paramLabel = "DIR",
            description = "Data directory of the deployment (event log in DIR/log, PKI in DIR/pki).")
    Path dataDir;

    DataDirectory data() {
        return new DataDirectory(dataDir);
    }
}
