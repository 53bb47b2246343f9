package nl.aware.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: refuses malformed requests with a fixed sentence (never the parser's text) and
 * closes; hands every well-formed request to the server's {@link HttpService}; turns a failure of the
 * service into a 500 with a fixed sentence and a server-log line. Runs on the worker group, or on the
 * event loop for a service that never blocks.
 */
@ChannelHandler.Sharable
public final class ServiceHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ServiceHandler.class);
    static final String INTERNAL = "internal error (details in the server log)";

    private final String server;
    private final HttpService service;
    private final TrustedProxy proxy;

    public ServiceHandler(String server, HttpService service, TrustedProxy proxy) {
        this.server = server;
        this.service = service;
        this.proxy = proxy;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            HttpExchange.write(ctx, false, malformed(decoded.cause()));
            return;
        }
        HttpExchange exchange = new HttpExchange(ctx, request.method(), request.uri(), request.headers(),
                ByteBufUtil.getBytes(request.content()), HttpUtil.isKeepAlive(request),
                proxy.client(ctx.channel().remoteAddress(), request.headers()));
        try {
            service.serve(exchange);
        } catch (RuntimeException e) {
            log.error("{}: {} {} failed", server, request.method(), exchange.path(), e);
            HttpExchange.write(ctx, false, HttpAnswer.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, INTERNAL));
        }
    }

    /** A fixed sentence per kind of malformation; the parser's own text stays out of the answer. */
    static HttpAnswer malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpAnswer.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpAnswer.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are too large");
        }
        if (cause instanceof TooLongFrameException) {
            return HttpAnswer.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the request is too large");
        }
        return HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "the request is not well-formed HTTP/1.1");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: connection from {} closed after an error: {}", server, ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
