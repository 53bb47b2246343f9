package nl.aware.simulator;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code aware-sim} command line, run in-process. */
class SimulatorCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return new CommandLine(new SimulatorCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void demo_exitsZeroAndItsLogHoldsEveryAckedPress() throws Exception {
        Path data = dir.resolve("demo");
        Path keys = dir.resolve("keys");
        int exit = execute("demo", "--duration", "5s", "--devices", "4", "--press-rate", "2", "--data-dir", data.toString(),
                "--key-dir", keys.toString());

        assertEquals(0, exit, () -> out + "\n" + err);
        Matcher acked = Pattern.compile("ACKed presses in the log: (\\d+) of (\\d+)").matcher(out.toString());
        assertTrue(acked.find(), out::toString);
        assertEquals(acked.group(2), acked.group(1));
        LogContents log = LogContents.read(data.resolve("log"), DataKeyRing.load(keys));
        assertTrue(log.verification().intact());
        List<Event.FrameAccepted> panics = log.accepted().stream().filter(e -> e.frame().type() == FrameType.PANIC).toList();
        assertEquals(Long.parseLong(acked.group(2)), panics.size());
        assertFalse(panics.isEmpty(), "5 s at 2 presses/s made no press");
    }

    @Test
    void demo_recordsSoundAfterThePressesOfCarriersWhoAgreed_andOnlyOfThose() throws Exception {
        Path data = dir.resolve("demo");
        Path keys = dir.resolve("keys");
        int exit = execute("demo", "--duration", "6s", "--devices", "4", "--press-rate", "2", "--data-dir", data.toString(),
                "--key-dir", keys.toString());

        assertEquals(0, exit, () -> out + "\n" + err);
        assertTrue(out.toString().contains("demo passed"), out::toString);
        List<Event.FrameAccepted> accepted = LogContents.read(data.resolve("log"), DataKeyRing.load(keys)).accepted();
        long last = accepted.stream().mapToLong(Event.FrameAccepted::receiveTimeMs).max().orElseThrow();
        boolean earlyConsentingPress = accepted.stream().anyMatch(e -> e.frame().type() == FrameType.PANIC
                && consenting(e.frame().deviceId()) && e.receiveTimeMs() <= last - 2_000);
        List<Event.FrameAccepted> audio = accepted.stream().filter(e -> e.frame().type() == FrameType.AUDIO).toList();
        assertTrue(audio.stream().allMatch(e -> consenting(e.frame().deviceId())), "sound only of carriers who agreed");
        if (earlyConsentingPress) {
            assertFalse(audio.isEmpty(), "a consenting carrier pressed at least 2 s before the end, yet no sound");
        }
    }

    private static boolean consenting(long deviceId) {
        return DemoCommand.recordsAfterPress((int) (deviceId - DemoCommand.FIRST_DEVICE_ID));
    }

    @Test
    void demo_refusesADataDirectoryThatIsNotEmpty() throws Exception {
        Files.writeString(dir.resolve("something"), "x");
        assertEquals(2, execute("demo", "--duration", "1s", "--data-dir", dir.toString()));
    }

    @Test
    void run_drivesEnrolledDevicesAgainstARunningServer() throws Exception {
        Path credentials = dir.resolve("devices");
        Files.createDirectories(credentials);
        int port;
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            for (long id = 1; id <= 2; id++) {
                IssuedCredential credential = server.enroll(id);
                credential.writePem(credentials.resolve(DeviceIds.format(id) + ".pem"),
                        credentials.resolve(DeviceIds.format(id) + ".key.pem"));
            }
            Files.copy(server.caCertificateFile(), credentials.resolve("ca.pem")); // not a device: skipped
            port = server.server().address().getPort();

            int exit = execute("run", "--port", Integer.toString(port), "--ca", server.caCertificateFile().toString(),
                    "--credentials", credentials.toString(), "--duration", "2s", "--press-rate", "3");

            assertEquals(0, exit, () -> out + "\n" + err);
            assertTrue(out.toString().contains("2 devices from"), out::toString);
            assertTrue(out.toString().contains("press->ACK latency"), out::toString);
        }
    }

    @Test
    void help_exitsZero() {
        assertEquals(0, execute("--help"));
        assertTrue(out.toString().contains("demo"));
    }

    @Test
    void helpOfASubcommand_exitsZero() {
        assertEquals(0, execute("demo", "--help"));
        assertTrue(out.toString().contains("--press-rate"));
    }

    @Test
    void unknownOption_exitsTwo() {
        assertEquals(2, execute("demo", "--no-such-option"));
        assertTrue(err.toString().contains("--no-such-option"));
    }

    @Test
    void noCommand_exitsTwo() {
        assertEquals(2, execute());
    }

    @Test
    void durationWithoutAUnit_isAUsageError() {
        assertEquals(2, execute("demo", "--duration", "30"));
    }

    @Test
    void demoStay_keepsTheStaffConsoleReachable_printsASignIn_andEndsWhenStopped() throws Exception {
        Path data = dir.resolve("demo");
        CommandLine cmd = new CommandLine(new SimulatorCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        DemoCommand demo = cmd.getSubcommands().get("demo").getCommand();
        java.util.concurrent.CompletableFuture<Integer> exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> cmd.execute(
                "demo", "--duration", "2s", "--devices", "2", "--press-rate", "1", "--stay", "--console-port", "0",
                "--data-dir", data.toString(), "--key-dir", dir.resolve("keys").toString()));
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> out.toString().contains("Ctrl-C"));
            Matcher console = Pattern.compile("staff console: (https://127\\.0\\.0\\.1:\\d+/console/)").matcher(out.toString());
            Matcher signIn = Pattern.compile("demo sign-in: account (\\S+), password (\\S+)").matcher(out.toString());
            assertTrue(console.find() && signIn.find(), out::toString);
            assertTrue(out.toString().contains("demo passed"), "the checks ran before it stayed");

            java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder()
                    .sslContext(trusting(data.resolve("pki").resolve("ca.pem"))).build();
            var page = https.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(console.group(1))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("content-security-policy").orElse("").startsWith("default-src 'self'"));
            var login = https.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(console.group(1).replace("/console/", "/staff/v1/login")))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"" + signIn.group(1)
                            + "\",\"password\":\"" + signIn.group(2) + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());

            Matcher controlRoom = Pattern.compile("control-room console: (https://127\\.0\\.0\\.1:\\d+/control/)").matcher(out.toString());
            Matcher operator = Pattern.compile("demo operator sign-in: account (\\S+), password (\\S+)").matcher(out.toString());
            assertTrue(controlRoom.find() && operator.find(), out::toString);
            assertEquals(200, https.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(controlRoom.group(1))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
            nl.aware.gateway.cli.StaffClient staff = new nl.aware.gateway.cli.StaffClient(
                    java.net.URI.create(controlRoom.group(1).replace("/control/", "")),
                    nl.aware.core.pki.Pem.readCertificate(data.resolve("pki").resolve("ca.pem")));
            String token = staff.login(operator.group(1), operator.group(2).toCharArray(),
                    new nl.aware.gateway.testing.TestAuthenticator(java.time.Clock.systemUTC()).of(operator.group(1)));
            var queue = staff.get("/control/v1/queue", token);
            assertEquals(200, queue.status(), "the printed operator signs in (enrolling the second factor) and reads the queue");

            // the device that stays connected: its alert is open, and listening in brings its sound
            Matcher standing = Pattern.compile("device (\\S+) \\(\\S+\\) stays connected").matcher(out.toString());
            assertTrue(standing.find(), out::toString);
            String open = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var row : staff.get("/control/v1/queue", token).body().path("alerts")) {
                    if (row.path("deviceId").asText().equals(standing.group(1)) && row.path("open").asBoolean()) {
                        return row.path("alertId").asText();
                    }
                }
                return null;
            }, java.util.Objects::nonNull);
            var listen = staff.post("/control/v1/alerts/" + open + "/listen", token,
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
            assertEquals(200, listen.status(), listen.error());
            try (var sound = new nl.aware.simulator.controlroom.EventStreamClient(java.net.URI.create(controlRoom.group(1)
                    .replace("/control/", "/control/v1/alerts/" + open + "/audio")),
                    nl.aware.core.pki.Pem.readCertificate(data.resolve("pki").resolve("ca.pem")), token, null)) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sound.named("audio").size() >= 3);
            }
            assertFalse(exit.isDone(), "still running");
        } finally {
            demo.stop.countDown();
        }
        assertEquals(0, exit.get(60, java.util.concurrent.TimeUnit.SECONDS), () -> out + "\n" + err);
    }

    private static javax.net.ssl.SSLContext trusting(Path caPem) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", nl.aware.core.pki.Pem.readCertificate(caPem));
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Test
    void totp_printsTheRfc6238CodeForTheKey() {
        CommandLine cmd = new CommandLine(new SimulatorCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        TotpCommand totp = cmd.getSubcommands().get("totp").getCommand();
        totp.clock = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(59), java.time.ZoneOffset.UTC);
        assertEquals(0, cmd.execute("totp", "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"));
        assertTrue(out.toString().startsWith("287082 (valid for 1 more seconds)"), out::toString);
    }

    @Test
    void totp_refusesAKeyThatIsNotBase32() {
        assertEquals(2, execute("totp", "not-base32!"));
        assertTrue(err.toString().contains("KEY is base32"), err::toString);
    }
}
