package nl.aware.dispatch.callback;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import nl.aware.core.event.Region;
import nl.aware.core.state.ServerState;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.http.ServiceHandler;
import nl.aware.http.TrustedProxy;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the control rooms' status callback behind TLS: whatever bytes arrive, the server answers
 * with HTTP or closes, records nothing for an unknown alert, and no exception escapes the pipeline.
 */
class StatusCallbackFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyRequest_getsAnHttpAnswerOrAClose(byte[] request) {
        ServerState state = new ServerState();
        DispatchProjection projection = new DispatchProjection(state.devices(), state.openAlarms());
        Map<Region, String> reporters = new EnumMap<>(Region.class);
        reporters.put(Region.IJSSELLAND, "control-room-ijsselland");
        reporters.put(Region.TWENTE, "control-room-twente");
        boolean[] recorded = {false};
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                new ServiceHandler("control-room callback", new StatusCallbackHandler(reporters, projection,
                        new LifecycleGate(projection, event -> {
                            recorded[0] = true;
                            return CompletableFuture.completedFuture(null);
                        })), TrustedProxy.none()));
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        ByteBuf answer;
        while ((answer = channel.readOutbound()) != null) {
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            answer.release();
            assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 "), text);
        }
        assertFalse(recorded[0], "no alert exists, so nothing may be recorded");
        channel.checkException();
        channel.finishAndReleaseAll();
    }
}
