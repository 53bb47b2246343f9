package nl.aware.core.staff;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which new passwords are refused, in one place (NIST SP 800-63B section 5.1.1.2): too short or too long;
 * one of the 30,000 most common passwords (shipped as {@code common-passwords.txt}, source in its header),
 * also with digits, spaces or symbols added or repeated; built on a word of this context (the service's
 * names, the account name); or a run of a few repeated or sequential characters. No composition rules
 * (NIST advises against them). Each refusal says why in plain words.
 */
public final class PasswordPolicy {
    /** NIST SP 800-63B: at least 15 characters for a password that is the only factor. */
    public static final int MIN_LENGTH = 15;
    /** Long enough for any passphrase; short enough that hashing one is no denial of service. */
    public static final int MAX_LENGTH = 128;
    /** Letters that must remain once context words and decoration are taken away. */
    static final int MIN_OWN_LETTERS = 8;
    private static final List<String> CONTEXT = List.of("aware", "kadera", "alarm", "politie", "police", "staff");
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** The reason {@code password} may not be set for {@code username}, or null when it may. */
    public static String weakness(char[] password, String username) {
        if (password.length < MIN_LENGTH) {
            return "a password needs at least " + MIN_LENGTH + " characters";
        }
        if (password.length > MAX_LENGTH) {
            return "a password may have at most " + MAX_LENGTH + " characters";
        }
        String lower = new String(password).toLowerCase(Locale.ROOT);
        String compact = lower.replaceAll("\\s+", "");
        if (COMMON.contains(lower) || COMMON.contains(compact)) {
            return "this password is on a list of the 30,000 most common passwords; choose another";
        }
        String letters = lower.replaceAll("[^\\p{L}]", "");
        if (letters.isEmpty()) {
            return "this password has no letters: a date or a number is guessed quickly; choose a passphrase";
        }
        String unit = smallestRepeatedUnit(letters);
        if (COMMON.contains(letters) || COMMON.contains(unit)) {
            return "this password is a common password with digits, spaces or symbols added; choose another";
        }
        String own = letters;
        for (String word : contextWords(username)) {
            own = own.replace(word, "");
        }
        if (own.length() < MIN_OWN_LETTERS && own.length() < letters.length()) {
            return "this password is built on the name of the service or of your account; choose another";
        }
        if (compact.chars().distinct().count() < 5) {
            return "this password repeats too few different characters; choose another";
        }
        if (sequential(compact)) {
            return "this password is a simple sequence (like abcd… or 1234…); choose another";
        }
        return null;
    }

    private static List<String> contextWords(String username) {
        List<String> words = new java.util.ArrayList<>(CONTEXT);
        if (username != null) {
            for (String part : username.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
                if (part.length() >= 3) {
                    words.add(part);
                }
            }
        }
        return words;
    }

    /** "abcabcabc" gives "abc"; a text that is no repetition gives itself. */
    private static String smallestRepeatedUnit(String text) {
        for (int size = 1; size <= text.length() / 2; size++) {
            if (text.length() % size == 0 && text.substring(0, size).repeat(text.length() / size).equals(text)) {
                return text.substring(0, size);
            }
        }
        return text;
    }

    /** Every next character one up (or one down) from the one before: abcdef…, 987654…, wrapping 9 to 0. */
    private static boolean sequential(String text) {
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < text.length(); i++) {
            int step = text.charAt(i) - text.charAt(i - 1);
            up &= step == 1 || (text.charAt(i - 1) == '9' && text.charAt(i) == '0');
            down &= step == -1 || (text.charAt(i - 1) == '0' && text.charAt(i) == '9');
        }
        return up || down;
    }

    /** Whether the shipped list is loaded (for a start-up check and the tests). */
    static int size() {
        return COMMON.size();
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>(40_000);
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the alarm-core jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read common-passwords.txt", e);
        }
        return Set.copyOf(words);
    }
}
