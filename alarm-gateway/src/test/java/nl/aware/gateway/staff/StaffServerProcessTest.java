package nl.aware.gateway.staff;

import nl.aware.gateway.cli.AwareCommand;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aware server} as a real process with its staff API options, and {@code aware staff} against it. */
class StaffServerProcessTest {
    private static final String PASSWORD = "the first administrator's passphrase";

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int aware(String stdin, String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return commandLine.execute(args);
        } finally {
            System.setIn(original);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void serverProcess_servesTheStaffApiOnTheConfiguredPort_andBootstrapNeedsItStopped() throws Exception {
        TestServer deployment = TestServer.create(dir);
        String data = deployment.data().root().toString();
        String keys = deployment.keys().directory().toString();
        assertEquals(0, aware(PASSWORD + "\n", "staff", "bootstrap", "--data-dir", data, "--key-dir", keys,
                "--user", "anna.admin", "--password-stdin"), err::toString);
        Path dispatch = new DispatchFixture().write(dir.resolve("dispatch"), deployment.ca());
        int staffPort = freePort();

        try (ServerProcess server = ServerProcess.start(deployment, dispatch, dir, List.of("--staff-port",
                Integer.toString(staffPort), "--staff-idle-timeout", "5m"))) {
            // The first sign-in enrols anna's app (the console's job); then the command line signs in with its codes.
            TestAuthenticator app = new TestAuthenticator(java.time.Clock.systemUTC());
            new StaffClient(java.net.URI.create("https://localhost:" + staffPort), deployment.ca().certificate())
                    .login("anna.admin", PASSWORD.toCharArray(), app.of("anna.admin"));
            assertEquals(0, aware(PASSWORD + "\n" + app.codeNow("anna.admin") + "\n", "staff", "accounts", "list",
                    "--server", "https://localhost:" + staffPort, "--ca", deployment.caCertificateFile().toString(),
                    "--user", "anna.admin", "--password-stdin", "--totp-stdin"), err::toString);
            assertTrue(out.toString().matches("(?s).*anna\\.admin\\s+administrator\\s+enabled.*"), out.toString());

            assertEquals(AwareCommand.ENVIRONMENT, aware(PASSWORD + "\n", "staff", "bootstrap", "--data-dir", data,
                    "--key-dir", keys, "--user", "second", "--password-stdin"));
            assertTrue(err.toString().contains("locked"), err.toString());
            assertEquals(143, server.stop());
        }
    }
}
