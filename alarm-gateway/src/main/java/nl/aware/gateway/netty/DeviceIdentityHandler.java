package nl.aware.gateway.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import nl.aware.core.state.DeviceRegistry;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A gate that runs once: when the handshake completes, it reads the device id from the client
 * certificate, pins it to the channel, and steps out of the pipeline. A failed handshake ends here, through {@link Rejections}.
 * Event loop only.
 */
final class DeviceIdentityHandler extends ChannelInboundHandlerAdapter {
    private final Rejections rejections;
    private final DeviceConnections connections;
    private final DeviceRegistry registry;

    DeviceIdentityHandler(Rejections rejections, DeviceConnections connections, DeviceRegistry registry) {
        this.rejections = rejections;
        this.connections = connections;
        this.registry = registry;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (!completion.isSuccess()) {
                rejections.handshakeFailed(ctx, completion.cause());
                return;
            }
            ctx.pipeline().remove(this);
            Optional<DeviceTrust.DeadCertificateException> dead = identify(ctx);
            if (dead.isPresent()) {
                rejections.handshakeFailed(ctx, dead.get());
                return;
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * Names the connection's device, or refuses it when the device's standing is no longer active. DeviceTrust
     * judged the certificate in a full handshake, but a resumed TLS 1.3 session (the JDK provider resumes with
     * the certificate of the earlier session, without asking DeviceTrust) would let a device revoked since then
     * back in; this check is the same rule, {@link PresentedCertificate#judge}, applied to every connection.
     */
    private Optional<DeviceTrust.DeadCertificateException> identify(ChannelHandlerContext ctx)
            throws SSLPeerUnverifiedException, CertificateException {
        Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
        // The registry's copy when it is the device's current certificate (DeviceTrust let only that one in):
        // one parsed certificate per device, not one more per held connection.
        PresentedCertificate presented = PresentedCertificate.judge(((X509Certificate) chain[0]).getEncoded(), registry);
        OptionalLong deviceId = presented.deviceId();
        if (deviceId.isPresent() && presented.standing() != DeviceRegistry.Standing.ACTIVE) {
            return Optional.of(presented.refusal());
        }
        ctx.channel().attr(DeviceSession.KEY).set(new DeviceSession(deviceId.orElse(0), presented.certificate()));
        if (deviceId.isPresent()) {
            connections.add(deviceId.getAsLong(), ctx.channel()); // so a revocation can close it at once
        }
        return Optional.empty();
    }
}
