package nl.aware.core.staff;

import nl.aware.core.crypto.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The ten one-time recovery codes shown once at enrolment, for a lost phone. Each is 60 random bits
 * (12 base-32 characters in three groups): too many to guess behind the login throttle, so a plain
 * SHA-256 is enough to store them (unlike a password, nothing about them is guessable).
 */
public final class RecoveryCodes {
    public static final int COUNT = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    /** {@value #COUNT} new codes, e.g. {@code k7qd-2m4x-pz9a}. */
    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            String text = Base32.encode(random).substring(0, 12).toLowerCase(Locale.ROOT);
            codes.add(text.substring(0, 4) + "-" + text.substring(4, 8) + "-" + text.substring(8, 12));
        }
        return codes;
    }

    /** The stored form: SHA-256 (hex) of the code without separators, case-insensitive. */
    public static String hash(String code) {
        String normal = code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
        return HexFormat.of().formatHex(Sha256.of(normal.getBytes(StandardCharsets.UTF_8)));
    }

    /** The index of the unused code matching {@code typed}, or -1. Compares every stored hash. */
    public static int match(String typed, List<String> hashes, java.util.Set<Integer> used) {
        byte[] candidate = hash(typed).getBytes(StandardCharsets.US_ASCII);
        int found = -1;
        for (int i = 0; i < hashes.size(); i++) {
            boolean same = MessageDigest.isEqual(candidate, hashes.get(i).getBytes(StandardCharsets.US_ASCII));
            if (same && !used.contains(i) && found < 0) {
                found = i;
            }
        }
        return found;
    }
}
