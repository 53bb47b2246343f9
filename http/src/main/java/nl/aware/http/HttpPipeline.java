package nl.aware.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutorGroup;

import java.util.concurrent.TimeUnit;

/**
 * Builds each connection's pipeline (names in {@link HandlerNames}); the connection cap has already
 * been checked on the parent channel by {@link ConnectionLimiter}. Event loop only.
 */
final class HttpPipeline extends ChannelInitializer<SocketChannel> {
    private final HttpServerSettings settings;
    private final ChannelHandler headers;
    private final ChannelHandler service;
    /** Null when the service runs on the event loop. */
    private final EventExecutorGroup workers;
    private final java.util.concurrent.atomic.LongAdder expired;

    HttpPipeline(HttpServerSettings settings, ServiceHandler service, EventExecutorGroup workers,
                 java.util.concurrent.atomic.LongAdder expired) {
        this.settings = settings;
        this.headers = new ResponseHeadersHandler(settings.headers());
        this.service = service;
        this.workers = workers;
        this.expired = expired;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline pipeline = ch.pipeline();
        long deadlineMillis = settings.requestDeadline().toMillis();
        if (settings.tls() != null) {
            SslHandler tls = settings.tls().context().newHandler(ch.alloc());
            // A handshake is a request like any other: it gets the same deadline.
            tls.setHandshakeTimeoutMillis(deadlineMillis);
            pipeline.addLast(HandlerNames.TLS, tls);
        }
        RequestDeadline deadline = new RequestDeadline(settings.requestDeadline(), expired::increment);
        pipeline.addLast(HandlerNames.IDLE, new IdleCloser(settings.idleTimeout().toMillis()))
                .addLast(HandlerNames.DEADLINE_START, deadline.start())
                .addLast(HandlerNames.HTTP, new HttpServerCodec(settings.maxHeaderBytes(), settings.maxHeaderBytes(),
                        8192))
                .addLast(HandlerNames.RESPONSE_HEADERS, headers)
                .addLast(HandlerNames.AGGREGATOR, new HttpObjectAggregator(settings.maxBodyBytes(), true))
                .addLast(HandlerNames.DEADLINE_END, deadline.end())
                .addLast(workers, HandlerNames.SERVICE, service); // a null group: the channel's own loop
    }

    /** Closes a connection with no traffic either way for the idle timeout. */
    static final class IdleCloser extends IdleStateHandler {
        IdleCloser(long millis) {
            super(0, 0, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
            ctx.close();
        }
    }
}
