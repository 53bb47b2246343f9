package nl.aware.core.admin;

import java.security.cert.X509Certificate;

/**
 * What a hand-out gives the device: its certificate and the CA's; for a {@link DeviceRequest.Pkcs12} also the
 * key store and its password, which exist only in this object (the server keeps no device private key).
 */
public record Handout(long deviceId, X509Certificate certificate, X509Certificate caCertificate, byte[] pkcs12,
                      char[] pkcs12Password) {
    @Override
    public String toString() {
        return "Handout[" + nl.aware.core.pki.DeviceIds.format(deviceId) + (pkcs12 == null ? "" : ", pkcs12") + "]";
    }
}
