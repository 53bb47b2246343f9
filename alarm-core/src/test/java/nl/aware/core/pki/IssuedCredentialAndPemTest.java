package nl.aware.core.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuedCredentialAndPemTest {
    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create("AWARE Device CA", Duration.ofDays(30));
    private final IssuedCredential device = ca.issueDevice(0x1122334455667788L, Duration.ofDays(7));

    @Test
    void pkcs12RoundTripsThroughJdkKeyStoreWithPassword() throws Exception {
        Path p12 = dir.resolve("device.p12");
        char[] password = "s3cret".toCharArray();
        device.writePkcs12(p12, password, "device");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password);
        }
        assertTrue(ks.isKeyEntry("device"));
        PrivateKey key = (PrivateKey) ks.getKey("device", password);
        assertArrayEquals(device.privateKey().getEncoded(), key.getEncoded());
        Certificate[] chain = ks.getCertificateChain("device");
        assertEquals(2, chain.length);
        assertEquals(device.certificate(), chain[0]);
        assertEquals(ca.certificate(), chain[1]);
    }

    @Test
    void pkcs12RejectsWrongPassword() throws Exception {
        Path p12 = dir.resolve("device.p12");
        device.writePkcs12(p12, "right".toCharArray(), "device");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            assertThrows(java.io.IOException.class, () -> ks.load(in, "wrong".toCharArray()));
        }
    }

    @Test
    void pkcs12FileHasOwnerOnlyPermissionsAndIsNeverOverwritten() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path p12 = dir.resolve("device.p12");
        device.writePkcs12(p12, "pw".toCharArray(), "device");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));
        assertThrows(FileAlreadyExistsException.class, () -> device.writePkcs12(p12, "pw".toCharArray(), "x"));
    }

    @Test
    void writePemWritesLeafCertificateAndPkcs8KeyWithOwnerOnlyPermissions() throws Exception {
        Path cert = dir.resolve("device.pem");
        Path key = dir.resolve("device-key.pem");
        device.writePem(cert, key);

        assertEquals(List.of(device.certificate()), Pem.readCertificates(cert));
        String keyText = Files.readString(key, StandardCharsets.US_ASCII);
        assertTrue(keyText.startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8 PEM");
        assertArrayEquals(device.privateKey().getEncoded(), Pem.readPrivateKey(key).getEncoded());
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
    }

    @Test
    void writePemRefusesToOverwrite() throws Exception {
        Path cert = dir.resolve("device.pem");
        Path key = dir.resolve("device-key.pem");
        Files.writeString(cert, "keep me");
        assertThrows(FileAlreadyExistsException.class, () -> device.writePem(cert, key));
        assertEquals("keep me", Files.readString(cert));
        assertFalse(Files.exists(key));
    }

    @Test
    void readsSec1EcPrivateKey() throws Exception {
        // Build an OpenSSL-style "EC PRIVATE KEY" (SEC1, with curve parameters and public key).
        java.security.interfaces.ECPrivateKey jdkKey = (java.security.interfaces.ECPrivateKey) device.privateKey();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(device.certificate().getPublicKey().getEncoded());
        var curve = PrivateKeyInfo.getInstance(jdkKey.getEncoded()).getPrivateKeyAlgorithm().getParameters();
        ECPrivateKey sec1 = new ECPrivateKey(256, jdkKey.getS(), spki.getPublicKeyData(), curve);
        Path key = dir.resolve("sec1.pem");
        Files.writeString(key, "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sec1.getEncoded())
                + "\n-----END EC PRIVATE KEY-----\n");

        PrivateKey read = Pem.readPrivateKey(key);
        byte[] data = {1, 2, 3};
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(read);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(device.certificate().getPublicKey());
        v.update(data);
        assertTrue(v.verify(sig));
    }

    @Test
    void readCertificatesReturnsAllInFileOrderSkippingOtherBlocks() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, "comment line\n" + Pem.encode(device.certificate()) + Pem.encode(device.privateKey())
                + Pem.encode(ca.certificate()));
        List<X509Certificate> certs = Pem.readCertificates(chain);
        assertEquals(List.of(device.certificate(), ca.certificate()), certs);
        assertEquals(device.certificate(), Pem.readCertificate(chain));
    }

    @Test
    void readCertificateOfKeyOnlyFileSaysNoCertificateAndNamesFile() throws Exception {
        Path file = dir.resolve("only-key.pem");
        Files.writeString(file, Pem.encode(device.privateKey()));
        PkiException e = assertThrows(PkiException.class, () -> Pem.readCertificate(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no PEM certificate"), e.getMessage());
    }

    @Test
    void readPrivateKeyErrorNeverEchoesKeyMaterial() throws Exception {
        String keyPem = Pem.encode(device.privateKey());
        String body = keyPem.split("\n")[1];
        Path file = dir.resolve("broken-key.pem");
        // Truncated key: base64 is valid text but the DER inside is cut short.
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body.substring(0, 40)
                + "\n-----END PRIVATE KEY-----\n");
        PkiException e = assertThrows(PkiException.class, () -> Pem.readPrivateKey(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains(body.substring(0, 20)), e.getMessage());
    }

    @Test
    void encodedCertificateIsStandardPem() {
        String pem = Pem.encode(ca.certificate());
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(pem.endsWith("-----END CERTIFICATE-----\n"));
        assertTrue(pem.lines().allMatch(l -> l.length() <= 64));
    }
}
