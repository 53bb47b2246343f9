package nl.aware.gateway.netty;

import nl.aware.core.pki.DeviceCertificateCheck;
import nl.aware.core.state.DeviceRegistry;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;

/**
 * The device gateway's client-certificate check, run inside the TLS handshake: the certificate must be one the
 * device CA issued ({@link DeviceCertificateCheck}) and the live {@link DeviceRegistry} must call it the device's
 * current, non-revoked one. A dead certificate (revoked, superseded by a re-enrolment, or of no enrolled device)
 * therefore never gets a session, so it costs one failed handshake and nothing more.
 *
 * <p>Works with both TLS providers: Netty hands the SSLEngine to an {@link X509ExtendedTrustManager}
 * for the JDK and for OpenSSL (netty-tcnative) alike. Runs on the event loop: the CA's rule on the certificate's
 * bytes (one signature check with the CA key's comb), then a map look-up ({@link PresentedCertificate}). The rest
 * of the chain a device sends is not read: the CA signs device certificates directly.
 */
public final class DeviceTrust extends X509ExtendedTrustManager {
    private final DeviceCertificateCheck issuedByDeviceCa;
    private final DeviceRegistry registry;
    private final Clock clock;

    DeviceTrust(DeviceCertificateCheck issuedByDeviceCa, DeviceRegistry registry, Clock clock) {
        this.issuedByDeviceCa = issuedByDeviceCa;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Trusts client certificates of {@code deviceCa} whose device the registry knows as current.
     *
     * @throws IllegalArgumentException when the CA's key is not a P-256 key
     */
    public static DeviceTrust of(X509Certificate deviceCa, DeviceRegistry registry) {
        return new DeviceTrust(new DeviceCertificateCheck(deviceCa), registry, Clock.systemUTC());
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
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the device sent no certificate");
        }
        byte[] der = chain[0].getEncoded();
        issuedByDeviceCa.require(der, clock.instant());
        PresentedCertificate presented = PresentedCertificate.judge(der, registry);
        if (presented.standing() != DeviceRegistry.Standing.ACTIVE) {
            throw presented.refusal();
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
        return new X509Certificate[] {issuedByDeviceCa.ca()};
    }
}
