package nl.aware.gateway.cli;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.gateway.DataDirectory;
import picocli.CommandLine.Mixin;

import java.io.IOException;

/** The options of every command that reads or writes a deployment's log: its data directory and its data keys. */
final class Deployment {
    @Mixin
    DataDirOption dataDir;

    @Mixin
    KeyDirOption keyDir;

    DataDirectory data() {
        return dataDir.data();
    }

    DataKeyRing keys() throws IOException {
        return keyDir.load();
    }
}
