package nl.aware.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import nl.aware.core.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sits on the server (parent) channel, before the acceptor: an accepted connection over the cap is
 * reset ({@code SO_LINGER 0}) before its pipeline, TLS engine included, is ever built, so a flood costs
 * a socket and nothing more. One summary line a second at most, never one per connection.
 * Runs on the server channel's event loop; the count is decremented from the children's loops.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final String server;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Channel> children = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final RateLimitedLog refusals = new RateLimitedLog(log, 1000);

    public ConnectionLimiter(String server, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the connection cap must be at least 1, was " + max);
        }
        this.server = server;
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.incrementAndGet();
            refusals.warn("{}: {} connections open, the cap; new connections are refused ({} so far)", server, max,
                    refused.get());
            child.config().setOption(ChannelOption.SO_LINGER, 0);
            child.unsafe().closeForcibly();
            return;
        }
        children.add(child);
        child.closeFuture().addListener(closed -> {
            open.decrementAndGet();
            children.remove(child);
        });
        ctx.fireChannelRead(child);
    }

    /**
     * Closes every open connection and waits for them (at most {@code timeout}), so their pipelines are torn down
     * while the event loop and the worker group still run: shut down first, Netty rejects the teardown's tasks.
     */
    void closeAll(java.time.Duration timeout) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel child : children) {
            closing.add(child.close());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections refused since start. */
    public long refused() {
        return refused.get();
    }
}
