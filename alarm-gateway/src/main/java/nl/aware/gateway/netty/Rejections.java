package nl.aware.gateway.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import nl.aware.core.event.Event;
import nl.aware.core.intake.Intake;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;

/**
 * The one way out. Every refused frame and every connection the server ends passes here, which
 * writes the NACK, the audit event, the metric and a log line, and closes when ADP/1 says so.
 * Log lines name device ids and reasons, never payloads. Event loop only.
 */
final class Rejections {
    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    private final Intake intake;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final RateLimitedLog handshakeLog = new RateLimitedLog(log, 1000);
    private final RateLimitedLog rejectionLog = new RateLimitedLog(log, 100);
    private final RateLimitedLog deadCertificateLog = new RateLimitedLog(log, 1000);
    private final RefusalBudget budget;

    Rejections(Intake intake, GatewayMetrics metrics, Clock clock) {
        this.intake = intake;
        this.metrics = metrics;
        this.clock = clock;
        this.budget = new RefusalBudget(clock, REFUSAL_RECORD_INTERVAL, MAX_BUDGET_KEYS);
    }

    /** One refusal record per certificate and per address in this interval; the rest is counted only. */
    static final java.time.Duration REFUSAL_RECORD_INTERVAL = java.time.Duration.ofMinutes(1);
    private static final int MAX_BUDGET_KEYS = 100_000;

    /** Refuses one frame with a NACK that echoes its device id and counter. */
    void reject(ChannelHandlerContext ctx, DeviceSession session, long claimedDeviceId, long counter,
                NackReason reason, String detail) {
        metrics.rejected(reason);
        long tlsDeviceId = session == null ? 0 : session.deviceId();
        if (reason != NackReason.OVERLOADED && reason != NackReason.REPLAYED_COUNTER
                && reason != NackReason.NOT_EXPECTED) {
            // Replays and unexpected audio are audited by the intake, which is where they are found.
            intake.audit(new Event.SecurityViolation(tlsDeviceId, claimedDeviceId, counter, reason));
        }
        rejectionLog.warn("NACK {} to device {} (claimed {}, counter {}): {}", reason, hex(tlsDeviceId),
                hex(claimedDeviceId), counter, detail);
        var written = ctx.writeAndFlush(new ServerFrame.Nack(claimedDeviceId, counter, clock.millis(), reason));
        if (reason.closesConnection()) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A length prefix outside 1..1024: the stream cannot be resynchronised, so it is closed unanswered. */
    void oversize(ChannelHandlerContext ctx, DeviceSession session, int declaredLength) {
        metrics.rejected(NackReason.MALFORMED);
        long deviceId = session == null ? 0 : session.deviceId();
        intake.audit(new Event.SecurityViolation(deviceId, 0, 0, NackReason.MALFORMED));
        rejectionLog.warn("closing connection of device {}: declared frame length {} outside 1..1024",
                hex(deviceId), declaredLength);
        ctx.close();
    }

    void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        metrics.handshakeFailed();
        DeviceTrust.DeadCertificateException dead = deadCertificate(cause);
        if (dead != null) {
            deadCertificate(ctx, dead);
            return;
        }
        handshakeLog.warn("TLS handshake from {} failed: {}", ctx.channel().remoteAddress(),
                cause instanceof java.nio.channels.ClosedChannelException
                        ? "the peer closed the connection before completing it" : describe(cause));
        ctx.close();
    }

    /**
     * A client certificate that chains to the device CA but is not the device's current one (revoked,
     * superseded, never enrolled): refused in the handshake (DeviceTrust), recorded within the budget.
     */
    private void deadCertificate(ChannelHandlerContext ctx, DeviceTrust.DeadCertificateException dead) {
        metrics.deadCertificate(dead.standing());
        java.net.InetAddress address = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet
                ? inet.getAddress() : null;
        if (budget.tryRecord(java.util.Arrays.asList(certificateKey(dead.certificate()), address))) {
            intake.audit(new Event.SecurityViolation(dead.deviceId(), dead.deviceId(), 0, NackReason.UNKNOWN_DEVICE));
        } else {
            metrics.refusalRecordSkipped();
        }
        deadCertificateLog.warn("refused the {} certificate of device {} in the TLS handshake", dead.standing()
                .name().toLowerCase(), hex(dead.deviceId()));
        ctx.close();
    }

    /** Part of a frame arrived and the rest did not come within the frame deadline. */
    void incompleteFrame(ChannelHandlerContext ctx, DeviceSession session, int bufferedBytes) {
        metrics.frameDeadlineClosed();
        rejectionLog.warn("closing connection of device {}: a frame was not complete within the frame deadline "
                + "({} bytes of it arrived)", session == null ? "?" : hex(session.deviceId()), bufferedBytes);
        ctx.close();
    }

    void idle(ChannelHandlerContext ctx, DeviceSession session) {
        metrics.idleClosed();
        log.debug("closing idle connection of device {}", session == null ? "?" : hex(session.deviceId()));
        ctx.close();
    }

    void failed(ChannelHandlerContext ctx, DeviceSession session, Throwable cause) {
        metrics.connectionFailed();
        String device = session == null ? "?" : hex(session.deviceId());
        if (isNetworkOrTls(cause)) {
            log.debug("connection of device {} failed: {}", device, describe(cause));
        } else {
            log.warn("closing connection of device {} after an unexpected error", device, cause);
        }
        ctx.close();
    }

    private static DeviceTrust.DeadCertificateException deadCertificate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeviceTrust.DeadCertificateException dead) {
                return dead;
            }
        }
        return null;
    }

    /** A certificate's budget key: its issuer and serial number, unique per CA. */
    private static String certificateKey(java.security.cert.X509Certificate certificate) {
        return certificate.getIssuerX500Principal().getName() + "#" + certificate.getSerialNumber().toString(16);
    }

    /** Resets, broken pipes and TLS alerts are the network's business, not the server's. */
    private static boolean isNetworkOrTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String hex(long deviceId) {
        return String.format("%016x", deviceId);
    }
}
