package nl.aware.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;

/**
 * The transport end of one Server-Sent Events stream over a toolkit server's HTTP/1.1 connection: the
 * response head, one chunk per event flushed at once, a clean end. The only place that knows the wire format
 * (event, id, data lines, comments); a stream never touches Netty itself.
 *
 * <p>Thread-safe: writes from any thread are handed to the connection's event loop. A client that does not
 * read (its socket buffer and our write buffer full) is cut rather than buffered without bound: it reconnects
 * with its last event id and misses nothing.
 */
public final class EventStreamChannel {
    private final ChannelHandlerContext ctx;

    private EventStreamChannel(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes the head of a stream and returns its channel ({@link HttpExchange#openEventStream}). The
     * security headers and Cache-Control are added on the way out like on every answer; the idle timeout
     * stays, so a stream must send something (a heartbeat comment) more often than that.
     */
    static EventStreamChannel start(ChannelHandlerContext ctx) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        return new EventStreamChannel(ctx);
    }

    /**
     * Sends one event. {@code id} may be null (then the client's last event id stays as it was); {@code data}
     * is one line of JSON. Returns false when the stream is closed or was cut for not reading.
     */
    public boolean send(String id, String event, String data) {
        StringBuilder text = new StringBuilder(data.length() + 64);
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        text.append("event: ").append(event).append('\n');
        text.append("data: ").append(data.replace("\n", "\ndata: ")).append("\n\n");
        return write(text.toString());
    }

    /** A comment line: keeps proxies from closing an idle connection; browsers ignore it. */
    public boolean comment(String text) {
        return write(": " + text.replace('\n', ' ') + "\n\n");
    }

    private boolean write(String text) {
        if (!ctx.channel().isActive()) {
            return false;
        }
        if (ctx.channel().bytesBeforeUnwritable() == 0) {
            close();
            return false;
        }
        ByteBuf chunk = ctx.alloc().buffer(text.length() * 2);
        chunk.writeCharSequence(text, StandardCharsets.UTF_8);
        ctx.writeAndFlush(new DefaultHttpContent(chunk));
        return true;
    }

    public boolean isOpen() {
        return ctx.channel().isActive();
    }

    /** Runs {@code action} once the connection is gone, whoever closed it. */
    public void onClose(Runnable action) {
        ctx.channel().closeFuture().addListener(future -> action.run());
    }

    /** Ends the stream cleanly (the last chunk) and closes the connection. */
    public void close() {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The client's address, for logs and the trail. */
    public String remote() {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}
