package nl.aware.gateway.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;

/**
 * Who is on a connection, fixed once when its TLS handshake completes. Standing is asked of the
 * registry per frame, so a revocation takes effect on open connections too.
 *
 * @param deviceId    from the certificate's CN, or 0 when the CN is not a device id
 * @param certificate the client certificate the device presented
 */
public record DeviceSession(long deviceId, X509Certificate certificate) {
    static final AttributeKey<DeviceSession> KEY = AttributeKey.valueOf(DeviceSession.class, "session");

    public static DeviceSession of(Channel channel) {
        return channel.attr(KEY).get();
    }
}
