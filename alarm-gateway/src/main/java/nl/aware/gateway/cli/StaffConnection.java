package nl.aware.gateway.cli;

import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * How {@code aware staff} reaches the staff API and who logs in. The password never comes from the
 * command line (it would sit in the shell history and the process list): {@code --password-stdin},
 * else {@code $AWARE_STAFF_PASSWORD}, else a console prompt. No token is kept between commands.
 */
final class StaffConnection {
    static final String PASSWORD_ENV = "AWARE_STAFF_PASSWORD";

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:AWARE_STAFF_URL:-https://localhost:9443}",
            description = "The staff API (default: $AWARE_STAFF_URL, else ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = "--ca", paramLabel = "FILE", required = true, defaultValue = "${env:AWARE_STAFF_CA}",
            description = "The deployment CA certificate (DIR/pki/ca.pem) that signed the server's certificate "
                    + "(default: $AWARE_STAFF_CA).")
    Path ca;

    @Option(names = {"-u", "--user"}, paramLabel = "NAME", required = true, defaultValue = "${env:AWARE_STAFF_USER}",
            description = "Your staff account (default: $AWARE_STAFF_USER).")
    String user;

    @Option(names = "--password-stdin", description = "Read your password from the first line of standard input "
            + "(otherwise $" + PASSWORD_ENV + ", otherwise a prompt).")
    boolean passwordStdin;

    @Option(names = "--totp-stdin", description = "Read the code of your authenticator app from the next line of "
            + "standard input (otherwise $" + PromptedSecondFactor.TOTP_ENV + ", otherwise a prompt).")
    boolean totpStdin;

    StaffClient client() throws IOException, PkiException, GeneralSecurityException {
        if (!Files.isRegularFile(ca)) {
            throw new NoSuchFileException(ca.toString(), null, "no CA certificate; use the deployment's DIR/pki/ca.pem");
        }
        return new StaffClient(server, Pem.readCertificate(ca));
    }

    SecondFactor secondFactor(PasswordInput input, java.io.PrintWriter err) {
        return new PromptedSecondFactor(input, totpStdin, err);
    }

    char[] password(PasswordInput input) throws IOException {
        return input.secret(passwordStdin, PASSWORD_ENV, "Password for " + user + ": ", false);
    }
}
