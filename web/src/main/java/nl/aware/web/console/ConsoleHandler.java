package nl.aware.web.console;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers the console's paths ({@code /}, {@code /console/…}) in the staff API's pipeline, before the
 * API's routes; every other request passes on untouched. Only GET and HEAD; every answer carries the
 * console's strict Content-Security-Policy and the other browser headers as HTTP headers.
 */
@ChannelHandler.Sharable
public final class ConsoleHandler extends ChannelInboundHandlerAdapter {
    private final ConsoleFiles files;

    public ConsoleHandler(ConsoleFiles files) {
        this.files = files;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!ConsoleFiles.handles(path)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean head = request.method().equals(HttpMethod.HEAD);
            ConsoleFiles.Answer answer = head || request.method().equals(HttpMethod.GET)
                    ? files.answer(path)
                    : new ConsoleFiles.Answer(HttpResponseStatus.METHOD_NOT_ALLOWED, "application/json",
                    "{\"error\":\"the console's pages are read with GET\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
            respond(ctx, keepAlive, head, answer);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, boolean head, ConsoleFiles.Answer answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        var headers = response.headers();
        if (answer.contentType() != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        if (answer.location() != null) {
            headers.set(HttpHeaderNames.LOCATION, answer.location());
        }
        if (answer.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            headers.set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        headers.set("Content-Security-Policy", files.contentSecurityPolicy());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Strict-Transport-Security", "max-age=31536000");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        // The page itself may change with every release; scripts and styles are checked each time too.
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setContentLength(response, head ? answer.body().length : response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
