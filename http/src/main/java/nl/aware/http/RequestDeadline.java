package nl.aware.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A request's headers and body must arrive within one deadline counted from its first byte: a client
 * trickling a header line every few seconds (slowloris) is closed when the deadline passes, however
 * busy it looks to a read-idle timer. Two handlers share one instance per connection:
 * {@link #start()} sits before the HTTP codec and arms the timer on the first decrypted byte of a
 * request; {@link #end()} sits after the aggregator and disarms it when the request is whole.
 * Both run on the connection's event loop.
 */
public final class RequestDeadline {
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    private final long nanos;
    private final Runnable onExpired;
    private ScheduledFuture<?> timer; // event loop only

    public RequestDeadline(Duration deadline) {
        this(deadline, () -> { });
    }

    /** {@code onExpired} runs on the event loop for each connection closed at the deadline (a counter). */
    public RequestDeadline(Duration deadline, Runnable onExpired) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a request deadline must be positive, was " + deadline);
        }
        this.nanos = deadline.toNanos();
        this.onExpired = onExpired;
    }

    /** Before the codec: the first byte of a request starts its deadline. */
    public ChannelInboundHandlerAdapter start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    timer = ctx.executor().schedule(() -> expire(ctx), nanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    /** After the aggregator: a whole request stops the clock; the next request's first byte restarts it. */
    public ChannelInboundHandlerAdapter end() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest) {
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        onExpired.run();
        log.debug("request not complete within its deadline; connection from {} closed", ctx.channel().remoteAddress());
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
