package nl.aware.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: a byte-for-byte search of every file under a data directory, as an attacker with a copy would. */
public final class DataFiles {
    private DataFiles() {
    }

    public static boolean contain(Path root, byte[] needle) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
