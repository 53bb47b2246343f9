package nl.aware.gateway.netty;

import nl.aware.core.pki.CertificateDer;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.DeviceRegistry;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.OptionalLong;

/**
 * What the registry says of the certificate a device presents: the device it names, that device's standing, and
 * the parsed certificate to judge and keep. A connecting device nearly always presents its current certificate,
 * which the registry holds parsed already; only another certificate (superseded, unknown, not a device's) is
 * parsed here, and that copy is garbage once refused. Never the session's own object: the OpenSSL provider hands
 * lazy certificates that keep their parsed form once anything reads a field, and the session holds them for the
 * connection's life. Nothing is read from the registry's copy but what the registry itself keeps, because the
 * JDK's certificate getters cache what they compute in the object.
 */
record PresentedCertificate(OptionalLong deviceId, DeviceRegistry.Standing standing, X509Certificate certificate) {

    static PresentedCertificate judge(byte[] der, DeviceRegistry registry) throws CertificateException {
        DeviceRegistry.Device holder = registry.holderOf(der).orElse(null);
        if (holder != null) {
            return new PresentedCertificate(OptionalLong.of(holder.deviceId()),
                    holder.revoked() ? DeviceRegistry.Standing.REVOKED : DeviceRegistry.Standing.ACTIVE,
                    holder.certificate());
        }
        X509Certificate copy = CertificateDer.parse(der);
        OptionalLong deviceId = DeviceIds.fromCertificate(copy);
        return new PresentedCertificate(deviceId, deviceId.isPresent()
                ? registry.standing(deviceId.getAsLong(), copy) : DeviceRegistry.Standing.UNKNOWN, copy);
    }

    /** The refusal of a certificate that is not the active device's current one. */
    DeviceTrust.DeadCertificateException refusal() {
        return new DeviceTrust.DeadCertificateException(certificate, deviceId.orElse(0), standing);
    }
}
