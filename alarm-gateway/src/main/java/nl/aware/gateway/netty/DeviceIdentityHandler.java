package nl.aware.gateway.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.DeviceRegistry;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
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
            identify(ctx);
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }

    private void identify(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException, CertificateException {
        Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
        X509Certificate presented = DetachedCertificates.of(new X509Certificate[] {(X509Certificate) chain[0]})[0];
        OptionalLong deviceId = DeviceIds.fromCertificate(presented);
        // The session keeps the registry's copy when it is the same certificate (DeviceTrust let only that
        // one in): one parsed certificate per device, not one more per held connection.
        X509Certificate certificate = deviceId.isPresent() ? registry.find(deviceId.getAsLong())
                .map(DeviceRegistry.Device::certificate).filter(presented::equals).orElse(presented) : presented;
        ctx.channel().attr(DeviceSession.KEY).set(new DeviceSession(deviceId.orElse(0), certificate));
        if (deviceId.isPresent()) {
            connections.add(deviceId.getAsLong(), ctx.channel()); // so a revocation can close it at once
        }
    }
}
