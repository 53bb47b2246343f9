package nl.aware.core.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create("AWARE Device CA", Duration.ofDays(3650));

    @Test
    void caCertificateIsSelfSignedP256CaWithPathLenZero() throws Exception {
        X509Certificate cert = ca.certificate();
        cert.verify(cert.getPublicKey());
        assertEquals("CN=AWARE Device CA", cert.getSubjectX500Principal().getName());
        assertEquals(0, cert.getBasicConstraints());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertEquals(256, ((java.security.interfaces.ECPublicKey) cert.getPublicKey()).getParams().getOrder().bitLength());
        boolean[] ku = cert.getKeyUsage();
        assertTrue(ku[5] && ku[6], "keyCertSign and cRLSign");
        assertFalse(ku[0], "no digitalSignature on CA");
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        assertNotNull(cert.getExtensionValue("2.5.29.14"), "SubjectKeyIdentifier");
    }

    @Test
    void notBeforeIsFiveMinutesBeforeNowForClockSkew() {
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
        CertificateAuthority fixed = CertificateAuthority.create("CA", Duration.ofDays(10),
                Clock.fixed(now, ZoneOffset.UTC));
        X509Certificate cert = fixed.certificate();
        assertEquals(now.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant());
        assertEquals(now.plus(Duration.ofDays(10)), cert.getNotAfter().toInstant());
        var device = fixed.issueDevice(1, Duration.ofDays(1));
        assertEquals(now.minus(Duration.ofMinutes(5)), device.certificate().getNotBefore().toInstant());
        assertEquals(Duration.ofDays(1), CertificateExpiry.remaining(device.certificate(), now));
    }

    @Test
    void serialsArePositiveRandomAndAtMost127Bits() {
        Set<BigInteger> serials = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            BigInteger s = ca.issueDevice(i, Duration.ofHours(1)).serial();
            assertTrue(s.signum() > 0);
            assertTrue(s.bitLength() <= 127);
            serials.add(s);
        }
        assertEquals(5, serials.size());
        assertTrue(serials.stream().anyMatch(s -> s.bitLength() > 100), "serials look random, not sequential");
    }

    @Test
    void saveThenLoadRoundTripsCertificateAndKey() throws Exception {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca-key.pem");
        ca.save(cert, key);

        CertificateAuthority loaded = CertificateAuthority.load(cert, key);
        assertEquals(ca.certificate(), loaded.certificate());
        // The loaded key really is the CA key: it signs certificates that verify with the CA public key.
        X509Certificate device = loaded.issueDevice(42, Duration.ofDays(1)).certificate();
        device.verify(ca.certificate().getPublicKey());
    }

    @Test
    void loadedKeySignsDataVerifiableWithCertificatePublicKey() throws Exception {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca-key.pem");
        ca.save(cert, key);
        var privateKey = Pem.readPrivateKey(key);
        byte[] data = "alarm".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(data);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(CertificateAuthority.load(cert, key).certificate().getPublicKey());
        verifier.update(data);
        assertTrue(verifier.verify(sig));
    }

    @Test
    void keyFileHasOwnerOnlyPermissions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path key = dir.resolve("ca-key.pem");
        ca.save(dir.resolve("ca.pem"), key);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(key)));
    }

    @Test
    void saveRefusesToOverwriteExistingKeyFile() throws Exception {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca-key.pem");
        Files.writeString(key, "precious");
        assertThrows(FileAlreadyExistsException.class, () -> ca.save(cert, key));
        assertEquals("precious", Files.readString(key));
        assertFalse(Files.exists(cert), "nothing written when refusing");
    }

    @Test
    void saveRefusesToOverwriteExistingCertificateFile() throws Exception {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca-key.pem");
        ca.save(cert, key);
        byte[] before = Files.readAllBytes(cert);
        CertificateAuthority other = CertificateAuthority.create("Other", Duration.ofDays(1));
        assertThrows(FileAlreadyExistsException.class, () -> other.save(cert, dir.resolve("other-key.pem")));
        assertArrayEquals(before, Files.readAllBytes(cert));
        assertFalse(Files.exists(dir.resolve("other-key.pem")));
    }

    @Test
    void loadOfMissingCertificateFileNamesTheFile() {
        Path cert = dir.resolve("missing-ca.pem");
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, dir.resolve("k.pem")));
        assertTrue(e.getMessage().contains(cert.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void loadOfMissingKeyFileNamesTheFile() throws Exception {
        Path cert = dir.resolve("ca.pem");
        Files.writeString(cert, Pem.encode(ca.certificate()));
        Path key = dir.resolve("missing-key.pem");
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, key));
        assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
    }

    @Test
    void loadOfGarbageCertificateFileNamesTheFile() throws Exception {
        Path cert = dir.resolve("garbage.pem");
        Files.write(cert, new byte[] {0, 1, 2, (byte) 0xff, 'x', '\n', 'y'});
        Path key = dir.resolve("ca-key.pem");
        Files.writeString(key, Pem.encode(CertificateAuthority.create("x", Duration.ofDays(1))
                .issueDevice(1, Duration.ofHours(1)).privateKey()));
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, key));
        assertTrue(e.getMessage().contains(cert.toString()), e.getMessage());
    }

    @Test
    void loadOfCorruptPemBlockNamesTheFile() throws Exception {
        Path cert = dir.resolve("corrupt.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n");
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, dir.resolve("k")));
        assertTrue(e.getMessage().contains(cert.toString()), e.getMessage());
    }

    @Test
    void loadOfGarbageKeyFileNamesTheFile() throws Exception {
        Path cert = dir.resolve("ca.pem");
        Files.writeString(cert, Pem.encode(ca.certificate()));
        Path key = dir.resolve("garbage-key.pem");
        Files.writeString(key, "hello, I am not a key\n");
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, key));
        assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
    }

    @Test
    void loadOfNonCaCertificateNamesTheFile() throws Exception {
        IssuedCredential device = ca.issueDevice(7, Duration.ofDays(1));
        Path cert = dir.resolve("device.pem");
        Path key = dir.resolve("device-key.pem");
        device.writePem(cert, key);
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, key));
        assertTrue(e.getMessage().contains(cert.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not hold a CA certificate"), e.getMessage());
    }

    @Test
    void loadWithKeyOfAnotherCaReportsMismatchNamingKeyFile() throws Exception {
        Path cert = dir.resolve("ca.pem");
        ca.save(cert, dir.resolve("ca-key.pem"));
        Path otherKey = dir.resolve("other-key.pem");
        CertificateAuthority.create("Other", Duration.ofDays(1)).save(dir.resolve("other.pem"), otherKey);
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(cert, otherKey));
        assertTrue(e.getMessage().contains(otherKey.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("mismatch"), e.getMessage());
    }

    @Test
    void deviceCertificateHasLowercaseHexCnAndChainsToCa() throws Exception {
        X509Certificate cert = ca.issueDevice(0xABCDEFL, Duration.ofDays(365)).certificate();
        assertEquals("CN=0000000000abcdef", cert.getSubjectX500Principal().getName());
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(-1, cert.getBasicConstraints(), "not a CA");
    }

    @Test
    void deviceCertificateHasClientAuthOnlyAndDigitalSignature() throws Exception {
        X509Certificate cert = ca.issueDevice(1, Duration.ofDays(1)).certificate();
        assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
        boolean[] ku = cert.getKeyUsage();
        assertTrue(ku[0], "digitalSignature");
        assertFalse(ku[5], "no keyCertSign");
        assertNotNull(cert.getExtensionValue("2.5.29.35"), "AuthorityKeyIdentifier");
    }

    @Test
    void deviceCertificatesGetFreshKeyPairs() {
        var a = ca.issueDevice(1, Duration.ofDays(1));
        var b = ca.issueDevice(1, Duration.ofDays(1));
        assertNotEquals(a.certificate().getPublicKey(), b.certificate().getPublicKey());
        assertEquals("EC", a.privateKey().getAlgorithm());
    }

    @Test
    void deviceCertificateFromAnotherCaDoesNotVerifyAgainstThisCa() {
        CertificateAuthority other = CertificateAuthority.create("AWARE Device CA", Duration.ofDays(3650));
        X509Certificate foreign = other.issueDevice(1, Duration.ofDays(1)).certificate();
        assertThrows(SignatureException.class, () -> foreign.verify(ca.certificate().getPublicKey()));
    }

    @Test
    void serverCertificateHasSanEntriesAndServerAuth() throws Exception {
        X509Certificate cert = ca.issueServer("gateway", List.of("gateway.aware.nl", "localhost"),
                List.of("127.0.0.1", "::1"), Duration.ofDays(90)).certificate();
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(List.of(SERVER_AUTH), cert.getExtendedKeyUsage());
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        Set<String> san = cert.getSubjectAlternativeNames().stream()
                .map(e -> e.get(0) + ":" + e.get(1)).collect(Collectors.toSet());
        assertEquals(Set.of("2:gateway.aware.nl", "2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1"), san);
    }

    @Test
    void serverCertificateRejectsHostNameAsIpAddress() {
        assertThrows(IllegalArgumentException.class,
                () -> ca.issueServer("gw", List.of(), List.of("localhost"), Duration.ofDays(1)));
    }

    @Test
    void clientCertificateHasClientAuth() throws Exception {
        X509Certificate cert = ca.issueClient("police-control-room", Duration.ofDays(30)).certificate();
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals("CN=police-control-room", cert.getSubjectX500Principal().getName());
    }

    @Test
    void clientCertificateRefusesDeviceLikeCn() {
        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("00000000000004d2", Duration.ofDays(1)));
    }

    @Test
    void issuedValidityMayNotOutliveCa() {
        CertificateAuthority shortCa = CertificateAuthority.create("short", Duration.ofDays(1));
        assertThrows(IllegalArgumentException.class, () -> shortCa.issueDevice(1, Duration.ofDays(2)));
    }

    @Test
    void toStringNeverContainsPrivateKey() {
        IssuedCredential cred = ca.issueDevice(1, Duration.ofDays(1));
        String pemBody = Pem.encode(cred.privateKey()).split("\n")[1];
        assertFalse(cred.toString().contains(pemBody));
        assertFalse(cred.toString().contains(cred.privateKey().toString()));
        assertTrue(cred.toString().contains("redacted"));
    }
}
