package nl.aware.gateway;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.records.checkpoint.CheckpointVerifier;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server started with {@code --location-retention P90D} on a log that holds a press from 200 days ago: it purges
 * that month by itself while it keeps serving devices, and the log it leaves verifies and replays.
 */
class ScheduledRetentionTest {
    private static final long DEVICE = 0xd1L;

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runningServer_purgesExpiredMonths_andKeepsAcceptingPresses() throws Exception {
        server = TestServer.create(dir).locationRetention(Period.ofDays(90));
        IssuedCredential credential = server.ca().issueDevice(DEVICE, PkiSetup.DEVICE_VALIDITY);
        Instant old = Instant.now().minus(Duration.ofDays(200));
        YearMonth oldMonth = YearMonth.from(old.atZone(ZoneOffset.UTC));
        EventCodec codec = new EventCodec(server.keys());
        try (EventLog log = EventLog.open(EventLogOptions.defaults(server.data().log()), new SimpleMeterRegistry(),
                r -> { })) {
            Event enrolled = new Event.DeviceEnrolled(DEVICE, Region.IJSSELLAND, credential.certificate().getEncoded());
            log.append(EventCodec.typeOf(enrolled), codec.encode(enrolled)).join();
            ByteBuf payload = Unpooled.buffer(Location.BYTES);
            new Location(524_000_000, 60_000_000, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
            Event press = new Event.FrameAccepted(UUID.randomUUID(), old.toEpochMilli(), DeviceFrame.create(
                    FrameType.PANIC, DEVICE, 5, old.toEpochMilli(), ByteBufUtil.getBytes(payload),
                    new FrameSigner(credential.privateKey())));
            log.append(EventCodec.typeOf(press), codec.encode(press)).join();
        }
        Path oldKey = server.keys().directory().resolve("location-key-" + oldMonth + ".key");
        assertTrue(Files.exists(oldKey));

        server.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(oldKey));
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.LocationsPurged p
                && p.months().contains(oldMonth.toString()) && p.policy().equals("P90D")));

        server.restart(); // replays a log whose only press can no longer be read
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(4));
            assertTrue(device.next() instanceof nl.aware.core.protocol.ServerFrame.Nack,
                    "the purged press's counter (5) still counts after a restart: counter 4 is a replay");
        }
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(6));
            assertFalse(device.nextAck().duplicate());
        }
        server.close();
        CheckpointVerifier.Report report = CheckpointVerifier.verify(server.data().log(), server.ca().certificate());
        assertTrue(report.intact(), () -> String.valueOf(report.problem()));
        assertEquals(0, report.uncheckpointedRecords());
    }
}
