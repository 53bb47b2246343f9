package nl.aware.core.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.OptionalLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdsTest {

    @Test
    void formatIsSixteenLowercaseHexDigitsZeroPadded() {
        assertEquals("00000000000004d2", DeviceIds.format(1234L));
        assertEquals("0000000000000000", DeviceIds.format(0L));
        assertEquals("00000000deadbeef", DeviceIds.format(0xdeadbeefL));
    }

    @Test
    void formatTreatsIdAsUnsigned() {
        assertEquals("ffffffffffffffff", DeviceIds.format(0xffffffffffffffffL));
        assertEquals("8000000000000000", DeviceIds.format(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 0x7fffffffffffffffL, 0x8000000000000000L, 0xffffffffffffffffL, 0x0123456789abcdefL})
    void formatThenParseRoundTrips(long id) {
        assertEquals(id, DeviceIds.parse(DeviceIds.format(id)));
    }

    @Test
    void parseAcceptsUppercase() {
        assertEquals(0xffffffffffffffffL, DeviceIds.parse("FFFFFFFFFFFFFFFF"));
        assertEquals(0xabcdefL, DeviceIds.parse("0000000000ABCDEF"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000000000000000", "00000000000000000", "", "000000000000000g", "+00000000000000f",
            "-00000000000000f", " 00000000000000f", "0x000000000000ff", "00000000 0000000"})
    void parseRejectsAnythingButSixteenHexDigits(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceIds.parse(bad));
        assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("16 hex digits"), e.getMessage());
    }

    @Test
    void parseRejectsNullWithIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> DeviceIds.parse(null));
    }

    @Test
    void parseTruncatesVeryLongInputInMessage() {
        String longInput = "x".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceIds.parse(longInput));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void fromCertificateReadsLowercaseCn() {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(1));
        var cred = ca.issueDevice(0xfedcba9876543210L, Duration.ofHours(1));
        assertEquals(OptionalLong.of(0xfedcba9876543210L), DeviceIds.fromCertificate(cred.certificate()));
    }

    @Test
    void fromCertificateRejectsUppercaseCn() {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(1));
        var cred = ca.issueServer("FEDCBA9876543210", java.util.List.of("localhost"), java.util.List.of(),
                Duration.ofHours(1));
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificate(cred.certificate()));
    }

    @Test
    void fromCertificateRejectsNonDeviceCn() {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(1));
        var cred = ca.issueClient("police-control-room", Duration.ofHours(1));
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificate(cred.certificate()));
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificate(ca.certificate()));
    }

    @Test
    void fromCertificateRejectsTwoCns() throws Exception {
        X509Certificate cert = selfSigned(new X500Name("CN=0000000000000001,CN=0000000000000002"));
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificate(cert));
    }

    @Test
    void fromCertificateRejectsMultiValuedRdnWithCn() throws Exception {
        X509Certificate cert = selfSigned(new X500Name("CN=0000000000000001+O=aware"));
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificate(cert));
    }

    @Test
    void fromCertificateAcceptsOtherAttributesBesideSingleCn() throws Exception {
        X509Certificate cert = selfSigned(new X500Name("O=aware,CN=0000000000000001"));
        assertEquals(OptionalLong.of(1L), DeviceIds.fromCertificate(cert));
    }

    @Test
    void fromCertificateDer_agreesWithFromCertificate_onEveryKindOfCertificate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(1));
        java.util.List<X509Certificate> certificates = java.util.List.of(
                ca.issueDevice(0xfedcba9876543210L, Duration.ofHours(1)).certificate(),
                ca.issueServer("FEDCBA9876543210", java.util.List.of("localhost"), java.util.List.of(),
                        Duration.ofHours(1)).certificate(),
                ca.issueClient("police-control-room", Duration.ofHours(1)).certificate(),
                ca.certificate(),
                selfSigned(new X500Name("CN=0000000000000001,CN=0000000000000002")),
                selfSigned(new X500Name("CN=0000000000000001+O=aware")),
                selfSigned(new X500Name("O=aware,CN=0000000000000001")),
                versionOne(new X500Name("CN=00000000000000ff")));
        for (X509Certificate certificate : certificates) {
            assertEquals(DeviceIds.fromCertificate(certificate), DeviceIds.fromCertificateDer(certificate.getEncoded()),
                    certificate.getSubjectX500Principal().getName());
        }
        assertEquals(OptionalLong.of(0xffL), DeviceIds.fromCertificateDer(certificates.get(7).getEncoded()),
                "a version 1 certificate has no [0] version before its serial");
    }

    @Test
    void fromCertificateDer_onBytesThatAreNoCertificate_isEmpty_andNeverThrows() throws Exception {
        byte[] der = CertificateAuthority.create("Test CA", Duration.ofDays(1))
                .issueDevice(0x1234L, Duration.ofHours(1)).certificate().getEncoded();
        int subjectEnd = -1;
        for (int length = 0; length < der.length; length++) {
            OptionalLong id = DeviceIds.fromCertificateDer(java.util.Arrays.copyOf(der, length));
            if (id.isPresent()) {
                assertEquals(0x1234L, id.getAsLong());
                subjectEnd = subjectEnd < 0 ? length : subjectEnd;
            }
        }
        // The outer lengths say the whole certificate is there: no prefix of it is read as one.
        assertEquals(-1, subjectEnd, "a cut-off certificate named a device");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] noise = der.clone();
            noise[random.nextInt(noise.length)] = (byte) random.nextInt(256);
            DeviceIds.fromCertificateDer(noise); // any answer, but no exception
        }
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificateDer(new byte[0]));
        assertEquals(OptionalLong.empty(), DeviceIds.fromCertificateDer(new byte[] {0x30, (byte) 0x84, 1, 2, 3, 4}));
    }

    private static X509Certificate versionOne(X500Name subject) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = gen.generateKeyPair();
        Instant now = Instant.now();
        var holder = new org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now), Date.from(now.plusSeconds(3600)), subject, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    private static X509Certificate selfSigned(X500Name subject) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = gen.generateKeyPair();
        Instant now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE, Date.from(now),
                Date.from(now.plusSeconds(3600)), subject, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }
}
