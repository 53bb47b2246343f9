package nl.aware.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * The second factor on the command line: the code from the line after the password on standard
 * input ({@code --totp-stdin}), else {@code $AWARE_STAFF_TOTP}, else a prompt. At a first sign-in the
 * new secret and the recovery codes are printed to standard error (standard output stays the answer).
 */
final class PromptedSecondFactor implements SecondFactor {
    static final String TOTP_ENV = "AWARE_STAFF_TOTP";

    private final PasswordInput input;
    private final boolean fromStdin;
    private final PrintWriter err;

    PromptedSecondFactor(PasswordInput input, boolean fromStdin, PrintWriter err) {
        this.input = input;
        this.fromStdin = fromStdin;
        this.err = err;
    }

    @Override
    public String code() throws IOException {
        return new String(input.code(fromStdin, TOTP_ENV, "Code from your authenticator app: ")).trim();
    }

    @Override
    public String enrol(String secret, String otpauthUri) throws IOException {
        err.printf("First sign-in: add this account to your authenticator app (TOTP, 6 digits, 30 s).%n"
                + "  secret: %s%n  or the URI: %s%n", secret, otpauthUri);
        err.flush();
        return code();
    }

    @Override
    public void recoveryCodes(List<String> codes) {
        err.printf("Your recovery codes, each usable once if you lose the app. They are shown only now: "
                + "keep them somewhere safe, away from your password.%n");
        codes.forEach(code -> err.printf("  %s%n", code));
        err.flush();
    }
}
