package nl.aware.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import nl.aware.core.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Accepted connections whose pipelines are not yet taken down. */
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
        // First in the child's pipeline, so the last handler out when Netty takes the pipeline down.
        child.pipeline().addFirst(new TeardownWatch(child));
        child.closeFuture().addListener(closed -> {
            open.decrementAndGet();
            if (!child.isRegistered()) {
                children.remove(child); // never registered: there is no pipeline to take down
            }
        });
        ctx.fireChannelRead(child);
    }

    /**
     * Closes every open connection and waits (at most {@code timeout}) until each pipeline is taken down. That
     * takes hops between the event loop and the worker group after the connection is closed, so the groups must
     * still run: shut down first, Netty rejects the hop and logs it.
     */
    void closeAll(java.time.Duration timeout) {
        children.forEach(Channel::close);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!children.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Removed last when a child's pipeline is taken down: then the child no longer needs the event loops. */
    private final class TeardownWatch extends ChannelHandlerAdapter {
        private final Channel child;

        TeardownWatch(Channel child) {
            this.child = child;
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            children.remove(child);
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
