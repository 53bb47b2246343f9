package nl.aware.simulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import nl.aware.core.staff.Base32;
import nl.aware.core.staff.Totp;

import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * An authenticator app for the demo: prints the current RFC 6238 code (the server's own {@link Totp}) for
 * the key the staff console showed at the first sign-in. For demos and tests only: a real account's
 * key belongs in the person's own app.
 */
@Command(name = "totp", mixinStandardHelpOptions = true,
        description = "Print the current 6-digit sign-in code for an authenticator key (base32, as the staff console "
                + "shows it at the first sign-in). For the demo, when no authenticator app is at hand.")
final class TotpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key, base32 (spaces allowed).")
    String key;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        byte[] secret;
        try {
            secret = Base32.decode(key);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "KEY is base32 (letters A-Z, digits 2-7): "
                    + e.getMessage());
        }
        if (secret.length == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "KEY is base32 and empty here: give the key the console showed");
        }
        long now = clock.instant().getEpochSecond();
        spec.commandLine().getOut().printf("%s (valid for %d more seconds)%n", Totp.code(secret, clock.instant()),
                Totp.STEP_SECONDS - now % Totp.STEP_SECONDS);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
