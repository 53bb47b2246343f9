package nl.aware.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;
import nl.aware.core.event.Event;
import nl.aware.core.log.AppendLane;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which lane each kind of event waits in (docs/event-log.md "Two lanes"). */
class LanesTest {
    private static FrameSigner signer;

    @BeforeAll
    static void key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        signer = new FrameSigner(generator.generateKeyPair().getPrivate());
    }

    private static Event accepted(FrameType type, byte[] payload) {
        DeviceFrame frame = DeviceFrame.create(type, 0x42L, 7, 1_764_000_000_000L, payload, signer);
        return new Event.FrameAccepted(UUID.randomUUID(), 1_764_000_000_100L, frame);
    }

    private static byte[] location() {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(525_168_000, 60_830_000, 12, 3, Location.SOURCE_GNSS, 87).write(payload);
        return ByteBufUtil.getBytes(payload);
    }

    @Test
    void aPressAndTheCarriersWhereabouts_goFirst() {
        assertEquals(AppendLane.FIRST, Lanes.of(accepted(FrameType.PANIC, location())));
        assertEquals(AppendLane.FIRST, Lanes.of(accepted(FrameType.LOCATION, location())));
    }

    @Test
    void soundAndAnswersToCommands_waitInTurn() {
        AudioChunk chunk = new AudioChunk(7, 0, AudioChunk.CODEC_G711_ULAW, 0, 100, new byte[800]);
        assertEquals(AppendLane.IN_TURN, Lanes.of(accepted(FrameType.AUDIO, chunk.payload())));
        byte[] result = new CommandResult(3, CommandResult.Outcome.DONE).payload();
        assertEquals(AppendLane.IN_TURN, Lanes.of(accepted(FrameType.COMMAND_RESULT, result)));
    }

    @Test
    void recordsThatAreNotDeviceFrames_waitInTurn() {
        assertEquals(AppendLane.IN_TURN, Lanes.of(new Event.DeviceRevoked(0x42L, "test")));
    }
}
