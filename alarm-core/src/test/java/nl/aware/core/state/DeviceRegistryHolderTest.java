package nl.aware.core.state;

import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DeviceRegistry#holderOf}: the registry's own copy for exactly the current certificate, nothing else. */
class DeviceRegistryHolderTest {
    private static final long DEVICE = 0x00000000000a11ceL;
    private final CertificateAuthority ca = CertificateAuthority.create("holder test CA", Duration.ofDays(2));
    private final DeviceRegistry registry = new DeviceRegistry();

    @Test
    void theCurrentCertificate_findsTheRegistrysCopy_revokedOrNot() throws Exception {
        X509Certificate current = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        enroll(current);

        DeviceRegistry.Device holder = registry.holderOf(current.getEncoded()).orElseThrow();
        assertSame(registry.find(DEVICE).orElseThrow().certificate(), holder.certificate());
        registry.apply(new Event.DeviceRevoked(DEVICE, "lost"));
        assertTrue(registry.holderOf(current.getEncoded()).orElseThrow().revoked(),
                "a revoked device's certificate is still found, so its refusal can name its standing");
    }

    @Test
    void anyOtherCertificate_findsNothing() throws Exception {
        X509Certificate old = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        X509Certificate current = ca.issueDevice(DEVICE, Duration.ofDays(1)).certificate();
        enroll(old);
        enroll(current);

        assertEquals(Optional.empty(), registry.holderOf(old.getEncoded()), "a superseded certificate");
        assertEquals(Optional.empty(), registry.holderOf(ca.issueDevice(0xb0bL, Duration.ofDays(1))
                .certificate().getEncoded()), "a device never enrolled");
        assertEquals(Optional.empty(), registry.holderOf(CertificateAuthority.create("other", Duration.ofDays(2))
                .issueDevice(DEVICE, Duration.ofDays(1)).certificate().getEncoded()), "another CA's, same device");
        byte[] altered = current.getEncoded();
        altered[altered.length - 1] ^= 1;
        assertEquals(Optional.empty(), registry.holderOf(altered), "the current one with one bit changed");
    }

    private void enroll(X509Certificate certificate) throws Exception {
        registry.apply(new Event.DeviceEnrolled(DEVICE, Region.IJSSELLAND, certificate.getEncoded()));
    }
}
