package nl.aware.simulator.controlroom;

import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.DispatchConfigFile;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.gateway.cli.AwareCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static nl.aware.simulator.controlroom.Fixtures.alertBody;
import static nl.aware.simulator.controlroom.Fixtures.panic;
import static nl.aware.simulator.controlroom.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The documented way to the dispatch client certificate works end to end: `aware ca init`, then
 * `aware ca issue-client --name dispatch-client`, the two files named in a dispatch config, and that
 * config's TLS POSTs an alert to a control room that trusts only the deployment CA (real mTLS 1.3).
 */
class DispatchClientCertificateTest {
    @TempDir
    Path dir;

    @Test
    void issuedDispatchClientCertificate_isAcceptedByAControlRoomTrustingTheDeploymentCa() throws Exception {
        Path data = dir.resolve("data");
        Path tls = dir.resolve("dispatch-tls");
        aware("ca", "init", "--data-dir", data.toString());
        aware("ca", "issue-client", "--data-dir", data.toString(), "--name", "dispatch-client", "--out", tls.toString());

        // The control room: a server certificate from the deployment CA, client certificates only from that CA.
        CertificateAuthority ca = CertificateAuthority.load(data.resolve("pki/ca.pem"), data.resolve("pki/ca.key.pem"));
        IssuedCredential server = ca.issueServer("control room", List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        try (SimulatedControlRoom room = new SimulatedControlRoom(Fixtures.options("ijsselland"), server,
                ca.certificate())) {
            room.start();
            DispatchConfig config = DispatchConfigFile.load(configFile(tls, data, room.baseUrl().toString()));
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(MutualTls.context(config.clientKey(), config.clientChain(), config.trustedServers()))
                    .sslParameters(MutualTls.tls13Only()).connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1).build();
            var item = panic(UUID.randomUUID(), 0xa11ceL, 1);
            HttpResponse<String> response = post(client, room.baseUrl(), "alerts", item.alertId().toString(),
                    alertBody(item));
            assertEquals(201, response.statusCode(), response.body());
            assertEquals(1, room.alertCount());
        }
    }

    /** A dispatch config as docs/operations.md shows it, with the issued files. */
    private Path configFile(Path tls, Path data, String policeUrl) throws Exception {
        Path file = dir.resolve("dispatch.properties");
        Files.writeString(file, String.join("\n",
                "police.ijsselland.primary=" + policeUrl,
                "police.twente.primary=" + policeUrl,
                "kadera.url=" + policeUrl,
                "tls.client.certificate=" + tls.resolve("dispatch-client.pem"),
                "tls.client.key=" + tls.resolve("dispatch-client-key.pem"),
                "tls.trust=" + data.resolve("pki/ca.pem"),
                "callback.trust=" + data.resolve("pki/ca.pem"),
                "callback.ijsselland.client=control-room-ijsselland",
                "callback.twente.client=control-room-twente",
                ""));
        return file;
    }

    private static void aware(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = AwareCommand.commandLine();
        command.setOut(new PrintWriter(new StringWriter(), true));
        command.setErr(new PrintWriter(err, true));
        assertEquals(0, command.execute(args), () -> String.join(" ", args) + ": " + err);
    }
}
