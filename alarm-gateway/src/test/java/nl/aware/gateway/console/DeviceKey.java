package nl.aware.gateway.console;

import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

/**
 * What a simulated device makes itself: a P-256 key that never leaves it and a PKCS#10 request with
 * its device id as the subject, pasted into the console by the case worker.
 */
final class DeviceKey {
    final long deviceId;
    final KeyPair keys;

    private DeviceKey(long deviceId, KeyPair keys) {
        this.deviceId = deviceId;
        this.keys = keys;
    }

    static DeviceKey generate(long deviceId) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return new DeviceKey(deviceId, generator.generateKeyPair());
    }

    String csrPem() throws IOException, OperatorCreationException {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + DeviceIds.format(deviceId)), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(request);
        }
        return out.toString();
    }

    /** The device's credential: the certificate the console showed, with the key the device kept. */
    IssuedCredential credential(String certificatePem, X509Certificate ca) throws GeneralSecurityException {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
        if (!certificate.getPublicKey().equals(keys.getPublic())) {
            throw new AssertionError("the certificate is not for the key the device made");
        }
        return new IssuedCredential(certificate, keys.getPrivate(), ca);
    }

    static String pem(X509Certificate certificate) {
        return Pem.encode(certificate);
    }
}
