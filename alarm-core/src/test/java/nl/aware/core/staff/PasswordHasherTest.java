package nl.aware.core.staff;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private static final PasswordHasher HASHER = new PasswordHasher();
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @Test
    void hash_verifiesTheSamePassword() {
        assertTrue(HASHER.verify(PASSWORD, HASHER.hash(PASSWORD)));
    }

    @Test
    void hash_rejectsAnotherPassword() {
        String stored = HASHER.hash(PASSWORD);

        assertFalse(HASHER.verify("correct horse battery stapler".toCharArray(), stored));
        assertFalse(HASHER.verify("".toCharArray(), stored));
    }

    @Test
    void hash_isArgon2idWithOwaspParametersAndARandomSalt() {
        String first = HASHER.hash(PASSWORD);
        String second = HASHER.hash(PASSWORD);

        assertTrue(first.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), first);
        assertNotEquals(first, second, "each hash has its own salt");
        String[] parts = first.split("\\$");
        assertEquals(16, Base64.getDecoder().decode(parts[4]).length, "salt bytes");
        assertEquals(32, Base64.getDecoder().decode(parts[5]).length, "hash bytes");
        assertFalse(first.contains("horse"));
    }

    @Test
    void verify_acceptsHashesOfTheArgon2ReferenceImplementation() {
        // Made by the reference implementation's CLI (Debian argon2 0~20171227):
        //   echo -n 'correct horse battery staple' | argon2 0123456789abcdef -id -t 2 -k 19456 -p 1 -l 32 -e
        //   echo -n password | argon2 somesaltsomesalt -id -t 2 -m 15 -p 1 -l 32 -e
        String owaspParameters = "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
                + "gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0";
        String otherParameters = "$argon2id$v=19$m=32768,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                + "IX8rTqp0d9Pu37QS7l1Ix06hxksaav9Ey5Ztp+RIRS8";

        assertTrue(HASHER.verify(PASSWORD, owaspParameters));
        assertTrue(HASHER.verify("password".toCharArray(), otherParameters));
        assertFalse(HASHER.verify("passwore".toCharArray(), otherParameters));
    }

    @Test
    void verify_rejectsAlteredOrUnreadableHashes() {
        String stored = HASHER.hash(PASSWORD);
        char last = stored.charAt(stored.length() - 2);
        String altered = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A') + stored.charAt(stored.length() - 1);

        assertFalse(HASHER.verify(PASSWORD, altered));
        assertFalse(HASHER.verify(PASSWORD, stored.replace("argon2id", "argon2i")));
        assertFalse(HASHER.verify(PASSWORD, "not a hash"));
        assertFalse(HASHER.verify(PASSWORD, null));
    }

    @Test
    void verifyNothing_alwaysFails() {
        assertFalse(HASHER.verifyNothing("decoy".toCharArray()));
    }
}
