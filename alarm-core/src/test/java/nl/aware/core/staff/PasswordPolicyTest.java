package nl.aware.core.staff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordPolicyTest {
    private static String why(String password) {
        return PasswordPolicy.weakness(password.toCharArray(), "sam.jansen");
    }

    private static void refused(String password, String because) {
        String reason = why(password);
        assertTrue(reason != null && reason.contains(because), password + " -> " + reason);
    }

    @Test
    void theShippedList_holdsThirtyThousandPasswords() {
        assertEquals(30_000, PasswordPolicy.size(), "the list in the jar, its comment lines left out");
    }

    @Test
    void tooShortAndTooLong_areRefusedByLength() {
        refused("short", "at least 15 characters");
        refused("x".repeat(129), "at most 128 characters");
    }

    @Test
    void aCommonPassword_isRefused_evenOfFifteenCharactersOrMore() {
        refused("1qaz2wsx3edc4rfv", "30,000 most common passwords");
        refused("1QAZ 2WSX 3EDC 4RFV", "30,000 most common passwords");
    }

    @Test
    void aCommonPasswordWithDigitsOrSymbolsAdded_orRepeated_isRefused() {
        refused("password1234567!", "digits, spaces or symbols added");
        refused("Sunshine!2026-Sunshine", "digits, spaces or symbols added");
        refused("2026-12-04 15:30:00", "no letters");
    }

    @Test
    void aPasswordBuiltOnTheServiceOrTheAccountName_isRefused() {
        refused("Kadera-AWARE-2026!", "name of the service or of your account");
        refused("sam.jansen.kadera.2026", "name of the service or of your account");
    }

    @Test
    void repeatedOrSequentialCharacters_areRefused() {
        refused("zzzzzzzzzzzzzzzzq", "repeats too few");
        refused("ghijklmnopqrstuvwx", "simple sequence");
    }

    @Test
    void aLongPassphraseOfOrdinaryWords_isAccepted() {
        assertNull(why("correct horse battery staple"));
        assertNull(why("admin passphrase, long enough"));
        assertNull(why("kadera helpt mij elke dinsdag ochtend"), "a context word inside a real phrase is fine");
    }
}
