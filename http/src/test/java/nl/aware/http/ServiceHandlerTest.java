package nl.aware.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The last handler and the outbound headers, in a channel: answers, refusals, keep-alive, headers. */
class ServiceHandlerTest {
    private HttpService service = exchange -> exchange.respond(HttpAnswer.json(HttpResponseStatus.OK, Map.of("ok", true)));
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ResponseHeadersHandler(SecurityHeaders.forBrowsers("")),
            new ServiceHandler("test server", exchange -> service.serve(exchange), TrustedProxy.none()));

    @AfterEach
    void noLeaks() {
        assertFalse(channel.finishAndReleaseAll());
    }

    private FullHttpResponse send(FullHttpRequest request) {
        channel.writeInbound(request);
        channel.runPendingTasks();
        return channel.readOutbound();
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER);
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void answer_carriesStatusTypeLengthAndKeepsTheConnection() {
        FullHttpResponse response = send(get("/x"));

        assertEquals(200, response.status().code());
        assertEquals("application/json", response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("11", response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals("{\"ok\":true}", body(response));
        assertTrue(channel.isOpen());
    }

    @Test
    void everyAnswer_carriesTheSecurityHeadersAndNoStore() {
        FullHttpResponse response = send(get("/x"));

        assertEquals("no-store", response.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                response.headers().get(SecurityHeaders.CONTENT_SECURITY_POLICY));
        assertEquals("max-age=31536000; includeSubDomains", response.headers().get(SecurityHeaders.STRICT_TRANSPORT_SECURITY));
        assertEquals("no-referrer", response.headers().get(SecurityHeaders.REFERRER_POLICY));
        assertEquals("nosniff", response.headers().get(SecurityHeaders.X_CONTENT_TYPE_OPTIONS));
        assertEquals("same-origin", response.headers().get(SecurityHeaders.CROSS_ORIGIN_OPENER_POLICY));
        body(response);
    }

    @Test
    void clientAskingToClose_isClosedAfterTheAnswer() {
        FullHttpRequest request = get("/x");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

        FullHttpResponse response = send(request);

        assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
        body(response);
        assertFalse(channel.isOpen());
    }

    @Test
    void malformedRequest_gets400WithAFixedSentence_andIsClosed() {
        FullHttpRequest request = get("/x");
        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid char at /data/log 0x0d")));

        FullHttpResponse response = send(request);

        assertEquals(400, response.status().code());
        assertEquals("nosniff", response.headers().get(SecurityHeaders.X_CONTENT_TYPE_OPTIONS));
        assertEquals("{\"error\":\"the request is not well-formed HTTP/1.1\"}", body(response));
        assertFalse(channel.isOpen());
    }

    @Test
    void oversizeHeaders_get431() {
        FullHttpRequest request = get("/x");
        request.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes.")));

        FullHttpResponse response = send(request);

        assertEquals(431, response.status().code());
        assertEquals("{\"error\":\"the request headers are too large\"}", body(response));
    }

    @Test
    void failingService_gets500WithoutTheExceptionText_andIsClosed() {
        service = exchange -> {
            throw new IllegalStateException("cannot be read from data/log/00000001.seg");
        };

        FullHttpResponse response = send(get("/x"));

        assertEquals(500, response.status().code());
        String text = body(response);
        assertFalse(text.contains("data/log"), text);
        assertEquals("{\"error\":\"" + ServiceHandler.INTERNAL + "\"}", text);
        assertFalse(channel.isOpen());
    }

    @Test
    void serverError_closesTheConnectionEvenWhenTheClientWouldKeepIt() {
        service = exchange -> exchange.respond(HttpAnswer.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "retry"));

        FullHttpResponse response = send(get("/x"));

        assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
        body(response);
        assertFalse(channel.isOpen());
    }

    @Test
    void extraHeaderOfAnAnswer_isWritten() {
        service = exchange -> exchange.respond(HttpAnswer.empty(HttpResponseStatus.METHOD_NOT_ALLOWED)
                .withHeader("Allow", "GET"));

        FullHttpResponse response = send(get("/x"));

        assertEquals("GET", response.headers().get(HttpHeaderNames.ALLOW));
        assertEquals("0", response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        body(response);
    }
}
