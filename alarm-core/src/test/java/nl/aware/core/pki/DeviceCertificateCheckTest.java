package nl.aware.core.pki;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device CA's rule for device certificates, with certificates made by the project's own CA code. */
class DeviceCertificateCheckTest {
    private static final long DEVICE = 0x00000000000a11ceL;
    private final CertificateAuthority ca = CertificateAuthority.create("AWARE device CA", Duration.ofDays(30));
    private final DeviceCertificateCheck check = new DeviceCertificateCheck(ca.certificate());
    private final Instant now = Instant.now();

    @Test
    void aDeviceCertificateOfTheCa_passes_asOftenAsItIsShown() {
        X509Certificate device = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> check.require(device, now));
        }
    }

    @Test
    void aCaWithTheSameNameButAnotherKey_isRefusedByTheSignature() {
        CertificateAuthority impostor = CertificateAuthority.create("AWARE device CA", Duration.ofDays(30));
        X509Certificate forged = impostor.issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        assertEquals(ca.certificate().getSubjectX500Principal(), forged.getIssuerX500Principal());
        assertRefused(forged, now, "device certificate does not carry the device CA's signature");
    }

    @Test
    void anotherCa_isRefusedByName() {
        X509Certificate other = CertificateAuthority.create("Rogue CA", Duration.ofDays(2))
                .issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        assertRefused(other, now, "device certificate was not issued by the device CA");
    }

    @Test
    void aCertificateWhoseSignatureWasAltered_isRefused() throws Exception {
        byte[] der = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate().getEncoded();
        der[der.length - 1] ^= 0x01; // the last byte of the signature's s
        X509Certificate altered = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        assertRefused(altered, now, "device certificate does not carry the device CA's signature");
    }

    @Test
    void outsideItsDates_isRefused_namingTheDate() {
        X509Certificate device = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        CertificateException expired = assertThrows(CertificateExpiredException.class,
                () -> check.require(device, now.plus(Duration.ofDays(2))));
        assertEquals("device certificate expired at " + device.getNotAfter().toInstant(), expired.getMessage());
        CertificateException early = assertThrows(CertificateNotYetValidException.class,
                () -> check.require(device, now.minus(Duration.ofHours(1))));
        assertEquals("device certificate is not valid before " + device.getNotBefore().toInstant(), early.getMessage());
    }

    @Test
    void certificatesOfTheCaThatAreNoDeviceCertificates_areRefused() {
        X509Certificate server = ca.issueServer("gateway", List.of("localhost"), List.of(), Duration.ofDays(1))
                .certificate();
        assertRefused(server, now, "device certificate is not for TLS client authentication");
        assertRefused(ca.certificate(), now, "device certificate is a CA certificate");
    }

    @Test
    void bytesThatAreNoCertificate_areRefused_withoutTheParsersText() throws Exception {
        byte[] der = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate().getEncoded();
        byte[] cutOff = java.util.Arrays.copyOf(der, der.length - 9);
        for (byte[] bad : List.of(new byte[0], new byte[] {0x30, 0x03, 1, 2, 3}, cutOff)) {
            CertificateException refused = assertThrows(CertificateException.class, () -> check.require(bad, now));
            assertEquals("device certificate cannot be read as an X.509 certificate", refused.getMessage());
        }
    }

    @Test
    void refusals_nameTheRule_notTheSubject() {
        X509Certificate other = CertificateAuthority.create("Rogue CA", Duration.ofDays(2))
                .issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        CertificateException refused = assertThrows(CertificateException.class, () -> check.require(other, now));
        assertTrue(!refused.getMessage().contains(DeviceIds.format(DEVICE)) && !refused.getMessage().contains("Rogue"),
                refused.getMessage());
    }

    private void assertRefused(X509Certificate certificate, Instant at, String reason) {
        CertificateException refused = assertThrows(CertificateException.class, () -> check.require(certificate, at));
        assertEquals(reason, refused.getMessage());
    }
}
