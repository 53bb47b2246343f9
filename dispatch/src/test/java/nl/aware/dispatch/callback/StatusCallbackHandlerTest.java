package nl.aware.dispatch.callback;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import nl.aware.core.event.Region;
import nl.aware.core.state.ServerState;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.http.ResponseHeadersHandler;
import nl.aware.http.SecurityHeaders;
import nl.aware.http.ServiceHandler;
import nl.aware.http.TrustedProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The callback's refusals in a channel: precise fixed sentences, nothing recorded. */
class StatusCallbackHandlerTest {
    private static final String ALERT = "0b6f6c8e-3c55-4a8e-9a57-1f1c1f7b2a10";
    private final List<Object> recorded = new ArrayList<>();
    private final EmbeddedChannel channel;

    StatusCallbackHandlerTest() {
        ServerState state = new ServerState();
        DispatchProjection projection = new DispatchProjection(state.devices(), state.openAlarms());
        Map<Region, String> reporters = new EnumMap<>(Region.class);
        reporters.put(Region.IJSSELLAND, "control-room-ijsselland");
        channel = new EmbeddedChannel(new ResponseHeadersHandler(SecurityHeaders.forMachines()),
                new ServiceHandler("control-room callback", new StatusCallbackHandler(reporters, projection,
                        new LifecycleGate(projection, event -> {
                            recorded.add(event);
                            return CompletableFuture.completedFuture(null);
                        })), TrustedProxy.none()));
    }

    @AfterEach
    void noLeaks() {
        assertTrue(recorded.isEmpty());
        assertFalse(channel.finishAndReleaseAll());
    }

    private String post(String path, String body, int expectedStatus) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
        channel.runPendingTasks();
        FullHttpResponse response = channel.readOutbound();
        try {
            assertEquals(expectedStatus, response.status().code());
            assertEquals("no-store", response.headers().get("Cache-Control"));
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void bodyThatIsNotJson_is400WithoutTheParsersText() {
        String answer = post(CallbackServer.PATH_PREFIX + ALERT + "/status", "{\"status\": accepted", 400);

        assertEquals("{\"error\":\"the body is not JSON; send {\\\"status\\\": \\\"...\\\", \\\"incidentRef\\\": \\\"...\\\"}\"}",
                answer);
    }

    @Test
    void unknownStatus_is400NamingTheStatusesThereAre() {
        String answer = post(CallbackServer.PATH_PREFIX + ALERT + "/status", "{\"status\": \"solved\"}", 400);

        assertTrue(answer.contains("\\\"status\\\" is one of ") && answer.contains("closed"), answer);
    }

    @Test
    void alertIdNotInCanonicalForm_is400() {
        String answer = post(CallbackServer.PATH_PREFIX + "1-1-1-1-1/status", "{\"status\": \"acknowledged\"}", 400);

        assertTrue(answer.contains("the alert id in the path is a UUID of 36 characters"), answer);
    }

    @Test
    void unknownAlert_is404_andNothingIsRecorded() {
        post(CallbackServer.PATH_PREFIX + ALERT + "/status", "{\"status\": \"acknowledged\"}", 404);
    }

    @Test
    void otherPath_is404() {
        post("/police/v1/other", "{}", 404);
    }
}
