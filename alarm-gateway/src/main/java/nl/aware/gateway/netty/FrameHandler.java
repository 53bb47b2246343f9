package nl.aware.gateway.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import nl.aware.core.intake.Intake;
import nl.aware.core.intake.IntakeOutcome;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameFormatException;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.state.DeviceRegistry;

import java.time.Clock;

/**
 * The last handler: checks standing, identity and signature, hands the frame to the intake and
 * writes the ACK only when the intake says the event is durable (late ACK). Anything refused leaves
 * through {@link Rejections}. Event loop only; the intake's answer is handed back to this loop.
 *
 * <p>Back-pressure: with {@code maxInFlight} frames of this connection awaiting the log, or the
 * socket not writable, the connection stops reading until it catches up. Nothing queues without bound.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {
    private final DeviceRegistry registry;
    private final Intake intake;
    private final Rejections rejections;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final int maxInFlight;
    private int inFlight;

    FrameHandler(DeviceRegistry registry, Intake intake, Rejections rejections, GatewayMetrics metrics, Clock clock,
                 int maxInFlight) {
        this.registry = registry;
        this.intake = intake;
        this.rejections = rejections;
        this.metrics = metrics;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (msg instanceof AdpFrameSplitter.OversizeFrame oversize) {
            rejections.oversize(ctx, session, oversize.declaredLength());
        } else if (msg instanceof FrameFormatException malformed) {
            rejections.reject(ctx, session, malformed.deviceId(), malformed.counter(), malformed.reason(), malformed.getMessage());
        } else if (msg instanceof DeviceFrame frame) {
            onFrame(ctx, session, frame);
        }
    }

    private void onFrame(ChannelHandlerContext ctx, DeviceSession session, DeviceFrame frame) {
        DeviceRegistry.Standing standing = session == null ? DeviceRegistry.Standing.UNKNOWN
                : registry.standing(session.deviceId(), session.certificate());
        if (standing != DeviceRegistry.Standing.ACTIVE) {
            rejections.reject(ctx, session, frame.deviceId(), frame.counter(), NackReason.UNKNOWN_DEVICE,
                    "device is " + standing.name().toLowerCase());
            return;
        }
        if (frame.deviceId() != session.deviceId()) {
            rejections.reject(ctx, session, frame.deviceId(), frame.counter(), NackReason.IDENTITY_MISMATCH,
                    "frame names another device than its TLS certificate");
            return;
        }
        DeviceRegistry.Device device = registry.find(session.deviceId()).orElseThrow();
        if (!device.verifier().verify(frame)) {
            rejections.reject(ctx, session, frame.deviceId(), frame.counter(), NackReason.BAD_SIGNATURE,
                    "signature does not verify against the enrolled certificate");
            return;
        }
        long startNanos = System.nanoTime();
        inFlight++;
        updateReading(ctx);
        intake.submit(frame).whenCompleteAsync((outcome, failure) -> {
            inFlight--;
            updateReading(ctx);
            answer(ctx, session, frame, failure == null ? outcome : new IntakeOutcome.Refused(NackReason.OVERLOADED),
                    startNanos);
        }, ctx.executor());
    }

    private void answer(ChannelHandlerContext ctx, DeviceSession session, DeviceFrame frame, IntakeOutcome outcome,
                        long startNanos) {
        if (outcome instanceof IntakeOutcome.Accepted accepted) {
            metrics.accepted(frame.type(), accepted.duplicate(), System.nanoTime() - startNanos);
            ctx.writeAndFlush(new ServerFrame.Ack(frame.deviceId(), frame.counter(), clock.millis(),
                    accepted.duplicate(), accepted.eventId()));
        } else if (outcome instanceof IntakeOutcome.Refused refused) {
            rejections.reject(ctx, session, frame.deviceId(), frame.counter(), refused.reason(),
                    switch (refused.reason()) {
                        case REPLAYED_COUNTER -> "counter at or below the high-water mark";
                        case NOT_EXPECTED -> "audio of a stream that is not open for this device";
                        default -> "event log cannot take the frame now";
                    });
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void updateReading(ChannelHandlerContext ctx) {
        boolean read = inFlight < maxInFlight && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
            if (!read) {
                metrics.pausedReading();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            rejections.idle(ctx, DeviceSession.of(ctx.channel()));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        rejections.failed(ctx, DeviceSession.of(ctx.channel()), cause);
    }
}
