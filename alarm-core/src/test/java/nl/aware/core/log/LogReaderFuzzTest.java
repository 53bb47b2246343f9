package nl.aware.core.log;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the record reader with damaged segments: whatever the damage, the reader reports it or cuts a
 * torn tail, and every record it does hand out is one that was written: a corrupted record is never
 * accepted. Only IOException (a precise corruption report) may leave it.
 */
class LogReaderFuzzTest {
    private static final int RECORDS = 6;
    private static Path template;
    private static byte[] segment;
    private static List<LogRecord> written;

    @BeforeAll
    static void writeTemplate() throws Exception {
        template = Files.createTempDirectory("log-fuzz-template");
        EventLogLargeReplayTest.writeSegmentDirectly(template, RECORDS);
        written = LogFiles.readAll(template);
        segment = Files.readAllBytes(LogFiles.lastSegment(template));
    }

    @AfterAll
    static void deleteTemplate() throws IOException {
        delete(template);
    }

    @FuzzTest(maxDuration = "60s")
    void damagedSegment_isReportedOrCutNeverAccepted(FuzzedDataProvider data) throws IOException {
        byte[] damaged = segment.clone();
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits && data.remainingBytes() > 4; i++) {
            damaged[data.consumeInt(0, damaged.length - 1)] = data.consumeByte();
        }
        if (data.consumeBoolean()) {
            damaged = java.util.Arrays.copyOf(damaged, data.consumeInt(0, damaged.length));
        }
        Path dir = Files.createTempDirectory("log-fuzz");
        try {
            Files.write(dir.resolve(LogFiles.lastSegment(template).getFileName()), damaged);
            List<LogRecord> read = new ArrayList<>();
            VerifyResult result;
            try {
                result = EventLog.read(dir, read::add);
            } catch (IOException reported) {
                return; // a precise corruption report is a correct answer
            }
            assertTrue(read.size() <= RECORDS);
            for (int i = 0; i < read.size(); i++) {
                LogRecord original = written.get(i);
                assertEquals(original.sequence(), read.get(i).sequence());
                assertArrayEquals(original.payload(), read.get(i).payload(), "record " + (i + 1) + " altered yet accepted");
                assertArrayEquals(original.hash(), read.get(i).hash());
            }
            if (!result.intact()) {
                assertNotNull(result.problem(), "a damaged log names its first bad record");
            }
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
