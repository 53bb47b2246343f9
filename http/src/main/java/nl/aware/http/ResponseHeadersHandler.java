package nl.aware.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Outbound, between the codec and the aggregator: puts the server's {@link SecurityHeaders} on every
 * response, including those the toolkit's own handlers write (413, 400), so no path can forget them.
 */
@ChannelHandler.Sharable
public final class ResponseHeadersHandler extends ChannelOutboundHandlerAdapter {
    private final SecurityHeaders headers;

    public ResponseHeadersHandler(SecurityHeaders headers) {
        this.headers = headers;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            headers.applyTo(response.headers());
        }
        ctx.write(msg, promise);
    }
}
