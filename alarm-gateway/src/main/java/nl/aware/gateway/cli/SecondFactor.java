package nl.aware.gateway.cli;

import java.io.IOException;
import java.util.List;

/** Where a sign-in's second step comes from: the person's authenticator app, asked through the command line. */
public interface SecondFactor {
    /** The current 6-digit code of the enrolled app. */
    String code() throws IOException;

    /**
     * First sign-in: show the new secret so the person can add it to an app; return the app's first code.
     *
     * @param otpauthUri the secret as an {@code otpauth://} URI (what the console's QR code holds)
     */
    String enrol(String secret, String otpauthUri) throws IOException;

    /** The ten recovery codes, shown this once after enrolment. */
    void recoveryCodes(List<String> codes);
}
