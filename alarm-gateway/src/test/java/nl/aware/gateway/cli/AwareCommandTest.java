package nl.aware.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.ServerSetup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's command on real files: what it prints and the exit codes scripts rely on. */
class AwareCommandTest {
    private static final String DEVICE = "00000000000000a1";

    @TempDir
    Path dir;
    private Path data;
    private Path keys;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        data = dir.resolve("data");
        keys = dir.resolve("keys");
    }

    private int aware(String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** Registers an eligible carrier and returns the id the command printed. */
    private String carrier(String region) {
        int before = out.toString().length();
        assertEquals(0, aware("carrier", "register", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--region", region, "--name", "Jolien de Vries", "--threat", "ex-partner", "--intake-done",
                "--lives-in-region", "--agrees-to-report", "--realistic-risk", "--no-contact"), err::toString);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("registered carrier ([0-9a-f-]{36})")
                .matcher(out.toString().substring(before));
        assertTrue(id.find(), out::toString);
        return id.group(1);
    }

    private void initCa() {
        assertEquals(0, aware("ca", "init", "--data-dir", data.toString()), err::toString);
        assertEquals(0, aware("keys", "init", "--key-dir", keys.toString()), err::toString);
    }

    @Test
    void help_exitsZeroOnEveryCommand() {
        for (String[] command : new String[][] {{"--help"}, {"server", "--help"}, {"ca", "init", "--help"},
                {"ca", "issue-client", "--help"},
                {"device", "enroll", "--help"}, {"device", "revoke", "--help"}, {"device", "list", "--help"},
                {"keys", "init", "--help"}, {"keys", "rotate", "--help"}, {"carrier", "register", "--help"},
                {"log", "verify", "--help"}, {"retention", "hold", "--help"}, {"retention", "release", "--help"}}) {
            assertEquals(0, aware(command), String.join(" ", command));
        }
    }

    @Test
    void caIssueClient_writesTheChainAndAPrivateKey_forTheDispatchConfig() throws Exception {
        initCa();
        Path out = dir.resolve("dispatch-tls");
        assertEquals(0, aware("ca", "issue-client", "--data-dir", data.toString(), "--name", "dispatch-client",
                "--out", out.toString()), err::toString);
        var chain = nl.aware.core.pki.Pem.readCertificates(out.resolve("dispatch-client.pem"));
        assertEquals(2, chain.size(), "the certificate, then the CA");
        assertEquals("CN=dispatch-client", chain.get(0).getSubjectX500Principal().getName());
        chain.get(0).verify(nl.aware.core.pki.Pem.readCertificate(data.resolve("pki/ca.pem")).getPublicKey());
        assertTrue(chain.get(0).getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "EKU clientAuth");
        assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                java.nio.file.Files.getPosixFilePermissions(out.resolve("dispatch-client-key.pem")));
    }

    @Test
    void caIssueClientTwice_refusesToOverwrite() {
        initCa();
        String[] issue = {"ca", "issue-client", "--data-dir", data.toString(), "--name", "dispatch-client",
                "--out", dir.resolve("out").toString()};
        assertEquals(0, aware(issue), err::toString);
        assertEquals(AwareCommand.ENVIRONMENT, aware(issue));
        assertTrue(err.toString().contains("refusing to overwrite"), err::toString);
    }

    @Test
    void caIssueClientWithoutACa_exits3NamingCaInit() {
        assertEquals(AwareCommand.ENVIRONMENT, aware("ca", "issue-client", "--data-dir", data.toString(), "--name",
                "dispatch-client", "--out", dir.resolve("out").toString()));
        assertTrue(err.toString().contains("aware ca init"), err::toString);
    }

    @Test
    void caIssueClientWithANameThatIsAPathOrADeviceId_isAUsageError() {
        initCa();
        for (String name : new String[] {"../dispatch", "abcdef0123456789", "Dispatch Client"}) {
            assertEquals(AwareCommand.USAGE, aware("ca", "issue-client", "--data-dir", data.toString(), "--name", name,
                    "--out", dir.resolve("out").toString()), name);
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void caInitTwice_refusesToReplaceTheCa() {
        initCa();
        assertEquals(AwareCommand.ENVIRONMENT, aware("ca", "init", "--data-dir", data.toString()));
        assertTrue(err.toString().contains("already exists"), err::toString);
    }

    @Test
    void enroll_writesCredentialsAndTheDeviceIsListed() {
        initCa();
        Path out = dir.resolve("device");
        assertEquals(0, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--id", DEVICE,
                "--carrier", carrier("twente"), "--out", out.toString()), err::toString);
        assertTrue(Files.exists(out.resolve(DEVICE + ".pem")));
        assertTrue(Files.exists(out.resolve(DEVICE + ".key.pem")));
        assertTrue(Files.exists(out.resolve("ca.pem")));
        assertEquals(0, aware("device", "list", "--key-dir", keys.toString(), "--data-dir", data.toString()));
        assertTrue(this.out.toString().contains(DEVICE + "  twente      active"), this.out::toString);
    }

    @Test
    void badDeviceId_isAUsageError() {
        initCa();
        assertEquals(AwareCommand.USAGE, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--id", "12345",
                "--carrier", carrier("twente"), "--out", dir.toString()));
        assertTrue(err.toString().contains("12345"), err::toString);
    }

    @Test
    void regionOutsideTheServedRegions_isAUsageErrorNamingTheRegions() {
        initCa();
        assertEquals(AwareCommand.USAGE, aware("carrier", "register", "--key-dir", keys.toString(), "--data-dir",
                data.toString(), "--region", "utrecht", "--name", "X", "--intake-done", "--lives-in-region",
                "--agrees-to-report", "--realistic-risk", "--no-contact"));
        assertTrue(err.toString().contains("ijsselland, twente"), err::toString);
    }

    @Test
    void enrollWhileTheServerRuns_withoutAnAccount_isAUsageErrorAndWritesNothing() throws Exception {
        initCa();
        String carrier = carrier("ijsselland");
        Path out = dir.resolve("device");
        try (AwareServer ignored = AwareServer.start(ServerSetup.gatewayOnly(new DataDirectory(data),
                DataKeyRing.load(keys), GatewayConfig.defaults().withPort("127.0.0.1", 0)), new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            assertEquals(AwareCommand.USAGE, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                    "--id", DEVICE, "--carrier", carrier, "--out", out.toString()));
            assertTrue(err.toString().contains("a server holds the event log"), err::toString);
            assertEquals(0, aware("device", "list", "--key-dir", keys.toString(), "--data-dir", data.toString()), "listing needs no lock");
        }
        assertFalse(Files.exists(out.resolve(DEVICE + ".key.pem")), "no key for a device that was not enrolled");
    }

    @Test
    void revokingAnUnknownDevice_failsTheCheck() {
        initCa();
        assertEquals(AwareCommand.CHECK_FAILED, aware("device", "revoke", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--id", DEVICE, "--reason", "lost"));
    }

    @Test
    void listOnADirectoryThatIsNoDeployment_saysSoAndCreatesNothing() {
        Path typo = dir.resolve("dta");
        assertEquals(AwareCommand.ENVIRONMENT, aware("device", "list", "--key-dir", keys.toString(), "--data-dir", typo.toString()));
        assertTrue(err.toString().contains("ca init"), err::toString);
        assertFalse(Files.exists(typo.resolve("log")));
    }

    @Test
    void logVerify_passesAnIntactLogAndNamesTheFirstBadRecordOfADamagedOne() throws Exception {
        initCa();
        for (String id : new String[] {"00000000000000a1", "00000000000000a2", "00000000000000a3"}) {
            assertEquals(0, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--id", id,
                    "--carrier", carrier("ijsselland"), "--out", dir.resolve(id).toString()));
        }
        assertEquals(0, aware("log", "verify", "--data-dir", data.toString()), err::toString);
        assertTrue(out.toString().contains("log intact: 9 records"), out::toString); // 3 × (carrier, device, assignment)

        Path segment;
        try (var files = Files.list(new DataDirectory(data).log())) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        int middle = bytes.length / 2;
        bytes[middle] ^= 0x40;
        Files.write(segment, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "verify", "--data-dir", data.toString()));
        assertTrue(err.toString().contains("log DAMAGED") && err.toString().contains(segment.getFileName().toString()),
                err::toString);
    }

    @Test
    void serverWithoutDispatchConfiguration_isAUsageError() {
        initCa();
        assertEquals(AwareCommand.USAGE, aware("server", "--key-dir", keys.toString(), "--data-dir", data.toString()));
        assertTrue(err.toString().contains("--dispatch"), err::toString);
    }

    @Test
    void serverWithAPortOutOfRange_isAUsageError() throws Exception {
        initCa();
        Path config = Files.writeString(dir.resolve("dispatch.properties"), "");
        assertEquals(AwareCommand.USAGE, aware("server", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--dispatch", config.toString(),
                "--port", "70000"));
    }

    @Test
    void staffTrustedProxyGivenAsAName_isAUsageErrorNamingTheOption() throws Exception {
        initCa();
        Path config = Files.writeString(dir.resolve("dispatch.properties"), "");
        assertEquals(AwareCommand.USAGE, aware("server", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--dispatch", config.toString(), "--staff-trusted-proxy", "proxy.example"));
        assertTrue(err.toString().contains("--staff-trusted-proxy: a trusted proxy is a literal IP address"), err::toString);
    }

    @Test
    void staffConnectionCapBelowOne_isAUsageError() throws Exception {
        initCa();
        Path config = Files.writeString(dir.resolve("dispatch.properties"), "");
        assertEquals(AwareCommand.USAGE, aware("server", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--dispatch", config.toString(), "--staff-max-connections", "0"));
        assertTrue(err.toString().contains("connection cap must be at least 1"), err::toString);
    }

    @Test
    void serverWithAPlainHttpTileSource_isAUsageErrorNamingWhy() throws Exception {
        initCa();
        Path config = Files.writeString(dir.resolve("dispatch.properties"), "");
        assertEquals(AwareCommand.USAGE, aware("server", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--dispatch", config.toString(),
                "--console-tiles", "http://tiles.example/{z}/{x}/{y}.png"));
        assertTrue(err.toString().contains("map tile URL must be https"), err::toString);
    }

    @Test
    void dispatchConfigurationMissingAKey_namesTheKey() throws Exception {
        initCa();
        Path config = Files.writeString(dir.resolve("dispatch.properties"), "kadera.url=https://127.0.0.1:1/\n");
        assertEquals(AwareCommand.ENVIRONMENT, aware("server", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--dispatch",
                config.toString(), "--port", "0"));
        assertTrue(err.toString().contains("police.ijsselland.primary is missing"), err::toString);
    }

    @Test
    void ineligibleCarrier_isRefusedNamingWhatIsNotMet() {
        initCa();
        assertEquals(AwareCommand.CHECK_FAILED, aware("carrier", "register", "--key-dir", keys.toString(),
                "--data-dir", data.toString(), "--region", "twente", "--name", "X", "--intake-done",
                "--lives-in-region", "--agrees-to-report", "--realistic-risk"));
        assertTrue(err.toString().contains("no contact with the ex-partner"), err::toString);
    }

    @Test
    void enrolWithAnUnknownCarrier_isRefused() {
        initCa();
        assertEquals(AwareCommand.ENVIRONMENT, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir",
                data.toString(), "--id", DEVICE, "--carrier", "00000000-0000-0000-0000-000000000000", "--out",
                dir.resolve("d").toString()));
        assertTrue(err.toString().contains("aware carrier register"), err::toString);
    }

    @Test
    void registeredCarriersName_isNowhereInTheDataDirectoryInPlainText() throws Exception {
        initCa();
        carrier("ijsselland");
        try (var files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("Jolien") || text.contains("Vries"), "name in plain text in " + file);
            }
        }
    }

    @Test
    void keysInitTwice_refusesToReplaceTheKeys() {
        initCa();
        assertEquals(AwareCommand.ENVIRONMENT, aware("keys", "init", "--key-dir", keys.toString()));
        assertTrue(err.toString().contains("unreadable"), err::toString);
    }

    @Test
    void deviceListWithOtherDataKeys_namesTheRecordItCannotReadInOneLine() {
        initCa();
        carrier("twente"); // record 1: a profile sealed with the deployment's keys
        Path otherKeys = dir.resolve("other-keys");
        assertEquals(0, aware("keys", "init", "--key-dir", otherKeys.toString()), err::toString);
        assertEquals(AwareCommand.ENVIRONMENT, aware("device", "list", "--key-dir", otherKeys.toString(), "--data-dir",
                data.toString()));
        assertTrue(err.toString().contains("record 1 of the event log") && err.toString().contains("data keys"),
                err::toString);
        assertEquals(1, err.toString().strip().lines().count(), err::toString);
    }

    @Test
    void deviceCommandWithoutKeys_saysHowToMakeThem() {
        assertEquals(0, aware("ca", "init", "--data-dir", data.toString()));
        assertEquals(AwareCommand.ENVIRONMENT, aware("device", "list", "--key-dir", keys.toString(), "--data-dir",
                data.toString()));
        assertTrue(err.toString().contains("aware keys init"), err::toString);
    }

    @Test
    void durations_acceptSecondsMinutesCombinationsAndIso() {
        DurationConverter converter = new DurationConverter();
        assertEquals(Duration.ofSeconds(30), converter.convert("30s"));
        assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
        assertEquals(Duration.ofSeconds(90), converter.convert("1m30s"));
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(45), converter.convert("PT45S"));
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("30"));
    }
}
