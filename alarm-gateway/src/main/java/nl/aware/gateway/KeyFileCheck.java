package nl.aware.gateway;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.files.OwnerOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * At start, a WARN for each secret key file that other users may read or change: the data keys (they
 * open every sealed record), the server's TLS key and the device CA's key. The server still starts: a
 * stopped alarm server helps nobody; the operator fixes the mode ({@code chmod 600}).
 */
public final class KeyFileCheck {
    private static final Logger log = LoggerFactory.getLogger(KeyFileCheck.class);

    private KeyFileCheck() {
    }

    /** Logs and returns the key files open to group or others. */
    public static List<Path> warnIfOpenToOthers(DataDirectory data, DataKeyRing keys) throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(data.serverKey(), data.caKey()));
        try (var files = Files.list(keys.directory())) {
            files.filter(Files::isRegularFile).sorted().forEach(candidates::add);
        }
        List<Path> open = new ArrayList<>();
        for (Path file : candidates) {
            if (Files.exists(file) && OwnerOnly.openToOthers(file)) {
                open.add(file);
                log.warn("key file {} may be read by other users of this machine: make it owner-only (chmod 600)", file);
            }
        }
        for (Path directory : List.of(keys.directory(), data.pki())) {
            if (Files.isDirectory(directory) && OwnerOnly.openToOthers(directory)) {
                log.warn("key directory {} may be listed by other users of this machine: chmod 700 it", directory);
            }
        }
        return open;
    }
}
