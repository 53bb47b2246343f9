package nl.aware.simulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * An authenticator app for the demo: prints the current RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) for
 * the key the staff console showed at the first sign-in. For demos and tests only: a real account's
 * key belongs in the person's own app.
 */
@Command(name = "totp", mixinStandardHelpOptions = true,
        description = "Print the current 6-digit sign-in code for an authenticator key (base32, as the staff console "
                + "shows it at the first sign-in). For the demo, when no authenticator app is at hand.")
final class TotpCommand implements Callable<Integer> {
    static final long STEP_SECONDS = 30;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key, base32 (spaces allowed).")
    String key;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        byte[] secret;
        try {
            secret = base32(key);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        long now = clock.instant().getEpochSecond();
        spec.commandLine().getOut().printf("%s (valid for %d more seconds)%n", code(secret, now / STEP_SECONDS),
                STEP_SECONDS - now % STEP_SECONDS);
        spec.commandLine().getOut().flush();
        return 0;
    }

    static String code(byte[] key, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] counter = new byte[8];
            for (int i = 7; i >= 0; i--) {
                counter[i] = (byte) step;
                step >>>= 8;
            }
            byte[] hash = mac.doFinal(counter);
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    static byte[] base32(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        String clean = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("KEY is empty");
        }
        for (char c : clean.toCharArray()) {
            int value = BASE32.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("KEY is base32 (A-Z, 2-7); '" + c + "' is not");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
