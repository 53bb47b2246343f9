package nl.aware.gateway.netty;

import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.DeviceRegistry;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.OptionalLong;

/**
 * The device gateway's client-certificate check, run inside the TLS handshake: the chain must lead to
 * the device CA (PKIX, as before) and the live {@link DeviceRegistry} must call the certificate the
 * device's current, non-revoked one. A dead certificate (revoked, superseded by a re-enrolment, or of no
 * enrolled device) therefore never gets a session, so it costs one failed handshake and nothing more.
 *
 * <p>Works with both TLS providers: Netty hands the SSLEngine to an {@link X509ExtendedTrustManager}
 * for the JDK and for OpenSSL (netty-tcnative) alike. Runs on the event loop; the registry is a map look-up.
 */
public final class DeviceTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager deviceCa;
    private final DeviceRegistry registry;

    private DeviceTrust(X509ExtendedTrustManager deviceCa, DeviceRegistry registry) {
        this.deviceCa = deviceCa;
        this.registry = registry;
    }

    /** Trusts client certificates of {@code deviceCa} whose device the registry knows as current. */
    public static DeviceTrust of(X509Certificate deviceCa, DeviceRegistry registry) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an empty trust store", e);
        }
        store.setCertificateEntry("device-ca", deviceCa);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return new DeviceTrust(extended, registry);
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    /**
     * A chain that leads to the device CA but names a dead certificate. Carries what the refusal record
     * needs; its message names no person (device ids and standings only).
     */
    public static final class DeadCertificateException extends CertificateException {
        private final transient X509Certificate certificate;
        private final long deviceId;
        private final DeviceRegistry.Standing standing;

        DeadCertificateException(X509Certificate certificate, long deviceId, DeviceRegistry.Standing standing) {
            super("device certificate is " + standing.name().toLowerCase());
            this.certificate = certificate;
            this.deviceId = deviceId;
            this.standing = standing;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        public long deviceId() {
            return deviceId;
        }

        public DeviceRegistry.Standing standing() {
            return standing;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        X509Certificate[] copies = DetachedCertificates.of(chain);
        deviceCa.checkClientTrusted(copies, authType, engine);
        requireCurrent(copies[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        X509Certificate[] copies = DetachedCertificates.of(chain);
        deviceCa.checkClientTrusted(copies, authType, socket);
        requireCurrent(copies[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate[] copies = DetachedCertificates.of(chain);
        deviceCa.checkClientTrusted(copies, authType);
        requireCurrent(copies[0]);
    }

    private void requireCurrent(X509Certificate presented) throws DeadCertificateException {
        OptionalLong deviceId = DeviceIds.fromCertificate(presented);
        DeviceRegistry.Standing standing = deviceId.isPresent()
                ? registry.standing(deviceId.getAsLong(), presented) : DeviceRegistry.Standing.UNKNOWN;
        if (standing != DeviceRegistry.Standing.ACTIVE) {
            throw new DeadCertificateException(presented, deviceId.orElse(0), standing);
        }
    }

    // The gateway is never a TLS client: a server check here would be a wiring mistake.
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the device gateway does not check server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the device gateway does not check server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the device gateway does not check server certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return deviceCa.getAcceptedIssuers();
    }
}
