package nl.aware.gateway.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import nl.aware.core.protocol.AdpFrameSplitter;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A frame must be complete within {@code deadline} of its first byte. The idle timeout alone cannot
 * stop a client that sends one byte every 20 s (each byte is activity); this can. Sits just before the
 * splitter and asks it, after each read, whether it holds part of a frame. While the gateway itself has
 * stopped reading (back-pressure) the rest of the frame waits in the kernel, not at the client: the
 * deadline then starts again rather than blaming the device. Event loop only.
 */
final class FrameDeadline extends ChannelInboundHandlerAdapter {
    private final AdpFrameSplitter splitter;
    private final Rejections rejections;
    private final long deadlineNanos;
    private ScheduledFuture<?> timer;
    private long framesAtStart;

    FrameDeadline(AdpFrameSplitter splitter, Rejections rejections, Duration deadline) {
        this.splitter = splitter;
        this.rejections = rejections;
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
        if (splitter.buffered() == 0) {
            cancel();
        } else if (timer == null || splitter.framesSplit() != framesAtStart) {
            start(ctx); // a new frame began in this read
        }
    }

    private void start(ChannelHandlerContext ctx) {
        cancel();
        framesAtStart = splitter.framesSplit();
        timer = ctx.executor().schedule(() -> expired(ctx), deadlineNanos, TimeUnit.NANOSECONDS);
    }

    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || splitter.buffered() == 0) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            start(ctx);
            return;
        }
        rejections.incompleteFrame(ctx, DeviceSession.of(ctx.channel()), splitter.buffered());
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }
}
