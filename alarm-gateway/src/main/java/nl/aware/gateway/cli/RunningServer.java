package nl.aware.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.pki.Pem;
import nl.aware.gateway.DataDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How an administrative command ({@code device enroll|revoke}, {@code carrier register},
 * {@code retention hold|release}) reaches the running server that holds the log: as a client of its
 * staff API, signed in like any staff member (password and second factor, never from an argument), so
 * the server's role checks and access trail apply. Offline (no server holds the log's lock) these
 * options are not used.
 */
final class RunningServer {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:AWARE_STAFF_URL:-https://localhost:9443}",
            description = "When a server holds the log: its staff API (default: $AWARE_STAFF_URL, else ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = "--ca", paramLabel = "FILE", defaultValue = "${env:AWARE_STAFF_CA}",
            description = "When a server holds the log: the CA that signed its certificate (default: $AWARE_STAFF_CA, "
                    + "else DIR/pki/ca.pem).")
    Path ca;

    @Option(names = {"-u", "--user"}, paramLabel = "NAME", defaultValue = "${env:AWARE_STAFF_USER}",
            description = "When a server holds the log: your staff account (default: $AWARE_STAFF_USER).")
    String user;

    @Option(names = "--password-stdin", description = "Read your password from the first line of standard input "
            + "(otherwise $" + StaffConnection.PASSWORD_ENV + ", otherwise a prompt).")
    boolean passwordStdin;

    @Option(names = "--totp-stdin", description = "Read your authenticator code from the next line of standard input "
            + "(otherwise $" + PromptedSecondFactor.TOTP_ENV + ", otherwise a prompt).")
    boolean totpStdin;

    /** One signed-in request to the server; the session ends after it. */
    @FunctionalInterface
    interface Request {
        StaffClient.Reply send(StaffClient client, String token) throws Exception;
    }

    /**
     * Signs in, sends, signs out. Returns the accepted answer, or null after printing the server's refusal
     * (the command then exits 1).
     */
    JsonNode call(CommandSpec spec, DataDirectory data, Request request) throws Exception {
        if (user == null || user.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a server holds the event log in "
                    + data.log() + ", so this goes through its staff API: sign in with --user NAME (or $AWARE_STAFF_USER)");
        }
        Path trusted = ca != null ? ca : data.caCertificate();
        if (!Files.isRegularFile(trusted)) {
            throw new NoSuchFileException(trusted.toString(), null, "no CA certificate; use the deployment's DIR/pki/ca.pem");
        }
        StaffClient client = new StaffClient(server, Pem.readCertificate(trusted));
        PasswordInput input = new PasswordInput(spec.commandLine());
        char[] password = input.secret(passwordStdin, StaffConnection.PASSWORD_ENV, "Password for " + user + ": ", false);
        String token;
        try {
            token = client.login(user, password, new PromptedSecondFactor(input, totpStdin, spec.commandLine().getErr()));
        } catch (StaffClient.StaffClientException refused) {
            return refused(spec, refused.status(), refused.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
        try {
            StaffClient.Reply reply = request.send(client, token);
            return reply.status() >= 400 ? refused(spec, reply.status(), reply.error()) : reply.body();
        } finally {
            client.post("/staff/v1/logout", token, null);
        }
    }

    private static JsonNode refused(CommandSpec spec, int status, String message) {
        spec.commandLine().getErr().printf("%s: refused by the server (HTTP %d): %s%n", spec.qualifiedName(), status,
                message);
        return null;
    }
}
