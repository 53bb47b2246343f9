package nl.aware.simulator.controlroom;

import io.netty.buffer.Unpooled;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.police.PoliceProfile;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.WorkKind;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Certificates, message bodies and an HTTPS client for the control-room tests. The bodies are made
 * by {@link PoliceMessages}, the code our server sends with, so the simulator is tested against the
 * real JSON.
 */
final class Fixtures {
    static final Duration DAY = Duration.ofDays(1);
    /** Our CA: signs the receivers' server certificates and every client certificate they trust. */
    static final CertificateAuthority CA = CertificateAuthority.create("aware-test-ca", Duration.ofDays(30));
    static final CertificateAuthority OTHER_CA = CertificateAuthority.create("someone-else-ca", Duration.ofDays(30));
    static final IssuedCredential SERVER = CA.issueServer("receiver", List.of("localhost"), List.of("127.0.0.1"), DAY);
    static final IssuedCredential DISPATCH = CA.issueClient("aware-dispatch", DAY);
    static final IssuedCredential STRANGER = OTHER_CA.issueClient("aware-dispatch", DAY);
    static final PoliceProfile PROFILE = new PoliceProfile("J. Jansen", "photo-0042", "threatened with a knife",
            "male, 40, tall, dark jacket", "two children at home");
    private static final FrameSigner SIGNER = signer();

    private Fixtures() {
    }

    static ReceiverOptions options(String name) {
        return ReceiverOptions.named(name).withIncidentPrefix("IJS");
    }

    /** A JDK HttpClient presenting {@code client}, trusting our CA, TLS 1.3 only: what dispatch uses. */
    static HttpClient client(IssuedCredential client) throws GeneralSecurityException {
        SSLContext tls = MutualTls.context(client.privateKey(),
                new X509Certificate[] {client.certificate(), client.issuer()}, CA.certificate());
        return HttpClient.newBuilder().sslContext(tls).sslParameters(MutualTls.tls13Only())
                .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    static HttpResponse<String> post(HttpClient client, URI base, String path, String key, byte[] body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A PANIC in Zwolle with a GNSS fix, as dispatch turns it into a new alert. */
    static DispatchItem panic(UUID alertId, long deviceId, long counter) {
        return item(WorkKind.NEW_ALERT, alertId, alertId, FrameType.PANIC, deviceId, counter);
    }

    static DispatchItem testAlert(UUID alertId, long deviceId, long counter) {
        return item(WorkKind.TEST_ALERT, alertId, alertId, FrameType.TEST, deviceId, counter);
    }

    static DispatchItem locationUpdate(UUID alertId, long deviceId, long counter) {
        return item(WorkKind.LOCATION_UPDATE, UUID.randomUUID(), alertId, FrameType.LOCATION, deviceId, counter);
    }

    static byte[] alertBody(DispatchItem item) {
        return PoliceMessages.alert(item, PROFILE);
    }

    private static DispatchItem item(WorkKind kind, UUID itemId, UUID alertId, FrameType type, long deviceId,
                                     long counter) {
        long now = System.currentTimeMillis();
        byte[] payload = new byte[Location.BYTES];
        new Location(525_123_400, 60_832_100, 12, 3, Location.SOURCE_GNSS, 81)
                .write(Unpooled.wrappedBuffer(payload).writerIndex(0));
        DeviceFrame frame = DeviceFrame.create(type, deviceId, counter, now - 40, payload, SIGNER);
        return new DispatchItem(itemId, kind, Region.IJSSELLAND, alertId, counter, now, frame, false, 1, null);
    }

    private static FrameSigner signer() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new FrameSigner(generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
