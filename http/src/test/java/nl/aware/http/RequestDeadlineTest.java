package nl.aware.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deadline for a request's headers and body, in a channel with a frozen clock. */
class RequestDeadlineTest {
    private final RequestDeadline deadline = new RequestDeadline(Duration.ofSeconds(10));
    private final List<FullHttpRequest> requests = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(deadline.start(), new HttpRequestDecoder(),
            new HttpObjectAggregator(1024), deadline.end(), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof FullHttpRequest request && request.decoderResult().isSuccess()) {
                        requests.add(request);
                    } else {
                        ReferenceCountUtil.release(msg); // what a half-sent request leaves when it is cut off
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    failures.add(cause); // the aggregator's "closed while aggregating": expected here
                }
            });

    RequestDeadlineTest() {
        channel.freezeTime();
    }

    @AfterEach
    void noLeaks() {
        assertFalse(channel.finishAndReleaseAll());
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void wait(int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void headerLinesTrickledInFast_doNotExtendTheDeadline() {
        send("GET /staff/v1/devices HTTP/1.1\r\n");
        for (int i = 0; i < 4; i++) {
            wait(2);
            send("X-Trickle-" + i + ": still here\r\n");
            assertTrue(channel.isOpen(), "within the deadline at " + (i + 1) * 2 + " s");
        }

        wait(3);

        assertFalse(channel.isOpen(), "closed 10 s after the first byte, though a line came 3 s ago");
    }

    @Test
    void bodyTrickledIn_isClosedAtTheDeadline() {
        send("POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
        wait(5);
        send("{\"username\":");
        wait(5);

        assertFalse(channel.isOpen());
    }

    @Test
    void wholeRequestInTime_stopsTheClock_andTheNextRequestGetsItsOwnDeadline() {
        send("GET /a HTTP/1.1\r\nHost: x\r\n");
        wait(9);
        send("\r\n");
        assertEquals(1, requests.size());
        requests.remove(0).release();

        wait(30);
        assertTrue(channel.isOpen(), "no request in progress, no deadline (the idle timeout is another handler's)");

        send("GET /b HTTP/1.1\r\n");
        wait(9);
        assertTrue(channel.isOpen());
        wait(1);
        assertFalse(channel.isOpen());
    }
}
