package nl.aware.core.files;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's files on a real file system under the test's own umask (022 on a usual machine, which
 * made the log 0644 and its directory 0755 before): owner only, whatever the umask.
 */
class OwnerOnlyTest {
    @TempDir
    Path dir;

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void newEventLog_directoryIs0700_andItsSegmentsAndLockAre0600() throws Exception {
        Path data = dir.resolve("data");
        Path log = data.resolve("log");
        try (EventLog eventLog = EventLog.open(EventLogOptions.defaults(log), new SimpleMeterRegistry(), r -> { })) {
            eventLog.append(1, new byte[] {1, 2, 3}).join();
        }

        assertEquals("rwx------", mode(data), "the data directory the log created");
        assertEquals("rwx------", mode(log));
        try (var files = Files.list(log)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", mode(file), file.getFileName().toString());
            }
        }
    }

    @Test
    void logWrittenByAnOlderVersion_isTightenedWhenOpened() throws Exception {
        Path log = dir.resolve("log");
        try (EventLog eventLog = EventLog.open(EventLogOptions.defaults(log), new SimpleMeterRegistry(), r -> { })) {
            eventLog.append(1, new byte[] {1}).join();
        }
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(log)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }

        EventLog.open(EventLogOptions.defaults(log), new SimpleMeterRegistry(), r -> { }).close();

        assertEquals("rwx------", mode(log));
        try (var files = Files.list(log)) {
            for (Path file : files.toList()) {
                assertFalse(OwnerOnly.openToOthers(file), file.getFileName().toString());
            }
        }
    }

    @Test
    void newKeyDirectory_is0700_withKeys0600() throws Exception {
        Path keys = dir.resolve("keys");

        DataKeyRing.create(keys);

        assertEquals("rwx------", mode(keys));
        try (var files = Files.list(keys)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", mode(file));
            }
        }
    }

    @Test
    void openToOthers_seesGroupOrOtherBits() throws Exception {
        Path file = Files.createFile(dir.resolve("key.pem"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertFalse(OwnerOnly.openToOthers(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(OwnerOnly.openToOthers(file));
    }
}
