package nl.aware.gateway;

import nl.aware.records.checkpoint.CheckpointPolicy;
import nl.aware.records.checkpoint.CheckpointVerifier;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.gateway.cli.AwareCommand;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running server signs checkpoints into its log (by count, by time, at a clean shutdown) with its
 * CA-certified key; {@code aware log verify} checks them, and an export made afterwards is anchored by one.
 */
class CheckpointedServerTest {
    private static final long DEVICE = 0xc1L;

    @TempDir
    Path dir;
    private TestServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int aware(String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private CheckpointVerifier.Report verify() throws Exception {
        return CheckpointVerifier.verify(server.data().log(), server.ca().certificate());
    }

    @Test
    void everyNRecords_andAtShutdown_aCheckpointSignsTheHead() throws Exception {
        server = TestServer.create(dir).checkpoints(new CheckpointPolicy(4, Duration.ofHours(1))).start();
        IssuedCredential credential = server.enroll(DEVICE);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            for (long counter = 1; counter <= 9; counter++) {
                device.send(device.heartbeat(counter));
                device.nextAck();
            }
        }
        // the timer is an hour away: this one is due to the count (it signs the head as it is when signed)
        await().atMost(Duration.ofSeconds(20)).until(() -> verify().checkpoints() >= 1);
        server.close();

        CheckpointVerifier.Report report = verify();
        assertTrue(report.intact(), () -> String.valueOf(report.problem()));
        assertEquals(report.chain().lastSequence(), report.checkpointRecord(), "the shutdown checkpoint is the last record");
        assertEquals(report.chain().lastSequence() - 1, report.lastCheckpoint().sequence(), "and it signs the record before it");
        assertEquals(0, report.uncheckpointedRecords());
    }

    @Test
    void afterTheInterval_aCheckpointIsWrittenWithoutMoreRecords() throws Exception {
        server = TestServer.create(dir).checkpoints(new CheckpointPolicy(1_000_000, Duration.ofMillis(300))).start();
        server.enroll(DEVICE);
        await().atMost(Duration.ofSeconds(20)).until(() -> verify().checkpoints() >= 1);
        CheckpointVerifier.Report report = verify();
        assertTrue(report.intact(), () -> String.valueOf(report.problem()));
        assertEquals(1, report.lastCheckpoint().sequence(), "it signs the enrolment");
    }

    @Test
    void logVerify_reportsTheLastCheckpoint_andNamesTheFirstBadRecordOfAnAlteredLog() throws Exception {
        server = TestServer.create(dir).checkpoints(new CheckpointPolicy(3, Duration.ofHours(1))).start();
        IssuedCredential credential = server.enroll(DEVICE);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            for (long counter = 1; counter <= 8; counter++) {
                device.send(device.heartbeat(counter));
                device.nextAck();
            }
        }
        server.close();
        String data = server.data().root().toString();
        assertEquals(0, aware("log", "verify", "--data-dir", data), err::toString);
        assertTrue(out.toString().contains("signed checkpoint(s) verified against the CA; last: record "), out::toString);
        assertTrue(out.toString().contains("CN=Test gateway"), out::toString);
        assertEquals(0, aware("log", "verify", "--log", server.data().log().toString()), err::toString);
        assertTrue(out.toString().contains("(CA not checked: pass --trust-ca)"), out::toString);
        Path foreignCa = dir.resolve("foreign-ca.pem");
        Files.writeString(foreignCa, nl.aware.core.pki.Pem.encode(nl.aware.core.pki.CertificateAuthority
                .create("Foreign CA", Duration.ofDays(30)).certificate()));
        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "verify", "--log", server.data().log().toString(),
                "--trust-ca", foreignCa.toString()));
        assertTrue(err.toString().contains("not issued by the trusted CA"), err::toString);

        Path segment;
        try (Stream<Path> files = Files.list(server.data().log())) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(segment, bytes);
        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "verify", "--data-dir", data));
        assertTrue(err.toString().contains("log DAMAGED: first bad record "), err::toString);
        assertTrue(err.toString().contains(segment.getFileName().toString()), err::toString);
    }

    @Test
    void exportAfterACheckpoint_isAnchoredAndVerifiesWithNoServerAndNoDataDirectory() throws Exception {
        server = TestServer.create(dir).checkpoints(new CheckpointPolicy(1_000_000, Duration.ofHours(1))).start();
        IssuedCredential credential = server.enroll(DEVICE);
        UUID alert;
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            alert = device.nextAck().eventId();
            device.send(device.heartbeat(2));
            device.nextAck();
        }
        server.close(); // the shutdown checkpoint signs the heartbeat, after the press
        Path zip = dir.resolve("alert.zip");
        Path trusted = dir.resolve("kadera-ca.pem");
        Files.copy(server.caCertificateFile(), trusted);
        assertEquals(0, aware("log", "export", "--data-dir", server.data().root().toString(), "--key-dir",
                server.keys().directory().toString(), "--alert", alert.toString(), "--out", zip.toString()), err::toString);
        deleteTree(server.data().root());
        deleteTree(server.keys().directory());

        assertEquals(0, aware("log", "verify-bundle", "--bundle", zip.toString(), "--trust-ca", trusted.toString()),
                err::toString);
        assertTrue(out.toString().contains("anchored by a signed checkpoint: record 4 signs record 3"), out::toString);
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
