package nl.aware.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import nl.aware.core.crypto.DataKeyRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warning for key files other users could read, on real files. */
class KeyFileCheckTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(KeyFileCheck.class);
    private DataDirectory data;
    private DataKeyRing keys;

    @BeforeEach
    void setUp() throws Exception {
        lines.start();
        logger.addAppender(lines);
        data = new DataDirectory(dir.resolve("data"));
        PkiSetup.initialize(data, "key check test", List.of("localhost"), List.of());
        keys = DataKeyRing.create(dir.resolve("keys"));
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(lines);
    }

    @Test
    void freshDeployment_hasOwnerOnlyKeys_andNoWarning() throws Exception {
        assertEquals(List.of(), KeyFileCheck.warnIfOpenToOthers(data, keys));
        assertEquals(List.of(), lines.list);
    }

    @Test
    void serverKeyReadableByOthers_isWarnedAboutByName() throws Exception {
        Files.setPosixFilePermissions(data.serverKey(), PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(List.of(data.serverKey()), KeyFileCheck.warnIfOpenToOthers(data, keys));

        assertEquals(1, lines.list.size());
        assertEquals(Level.WARN, lines.list.get(0).getLevel());
        assertTrue(lines.list.get(0).getFormattedMessage().contains(data.serverKey().toString()));
    }

    @Test
    void dataKeyAndCaKeyReadableByGroup_areBothWarnedAbout() throws Exception {
        Path dataKey;
        try (var files = Files.list(keys.directory())) {
            dataKey = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(dataKey, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(data.caKey(), PosixFilePermissions.fromString("rw-r-----"));

        assertEquals(List.of(data.caKey(), dataKey), KeyFileCheck.warnIfOpenToOthers(data, keys));
    }
}
