package nl.aware.core.staff;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpTest {
    /** RFC 6238 Appendix B: the SHA-1 key is the ASCII string "12345678901234567890". */
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238AppendixB_sha1Vectors_eightDigits() {
        Object[][] vectors = {{59L, "94287082"}, {1111111109L, "07081804"}, {1111111111L, "14050471"},
                {1234567890L, "89005924"}, {2000000000L, "69279037"}, {20000000000L, "65353130"}};
        for (Object[] v : vectors) {
            long step = Totp.step(Instant.ofEpochSecond((Long) v[0]));
            assertEquals(v[1], Totp.code(RFC_KEY, step, 8), "T = " + v[0]);
        }
    }

    @Test
    void sixDigitCode_isTheLastSixDigitsOfTheRfcVector() {
        assertEquals("287082", Totp.code(RFC_KEY, Instant.ofEpochSecond(59)));
        assertEquals("081804", Totp.code(RFC_KEY, Instant.ofEpochSecond(1111111109L)), "leading zero kept");
    }

    @Test
    void verify_acceptsTheStepBeforeAndAfter_notTwoAway() {
        Instant now = Instant.ofEpochSecond(1234567890L);
        long step = Totp.step(now);
        for (long offset = -1; offset <= 1; offset++) {
            String code = Totp.code(RFC_KEY, step + offset, 6);
            assertEquals(OptionalLong.of(step + offset), Totp.verify(RFC_KEY, code, now, Long.MIN_VALUE), "offset " + offset);
        }
        assertTrue(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, step + 2, 6), now, Long.MIN_VALUE).isEmpty());
        assertTrue(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, step - 2, 6), now, Long.MIN_VALUE).isEmpty());
    }

    @Test
    void verify_refusesACodeOfAStepAlreadyUsed() {
        Instant now = Instant.ofEpochSecond(1234567890L);
        String code = Totp.code(RFC_KEY, now);

        assertTrue(Totp.verify(RFC_KEY, code, now, Totp.step(now)).isEmpty());
        assertTrue(Totp.verify(RFC_KEY, code, now, Totp.step(now) + 1).isEmpty(), "nor after a later step was used");
    }

    @Test
    void verify_refusesWhatIsNotSixDigits() {
        Instant now = Instant.ofEpochSecond(59);
        assertTrue(Totp.verify(RFC_KEY, "94287082", now, Long.MIN_VALUE).isEmpty());
        assertTrue(Totp.verify(RFC_KEY, "28708a", now, Long.MIN_VALUE).isEmpty());
        assertTrue(Totp.verify(RFC_KEY, null, now, Long.MIN_VALUE).isEmpty());
        assertEquals(OptionalLong.of(1), Totp.verify(RFC_KEY, "287 082", now, Long.MIN_VALUE), "a space as apps show it");
    }

    @Test
    void otpauthUri_hasTheContractsForm() {
        assertEquals("otpauth://totp/AWARE:sam?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=AWARE",
                Totp.otpauthUri("AWARE", "sam", RFC_KEY));
    }

    @Test
    void base32_roundTripsAndMatchesRfc4648() {
        assertEquals("MZXW6YTBOI", Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("foobar", new String(Base32.decode("mzxw6ytboi======"), StandardCharsets.US_ASCII));
        byte[] secret = Totp.newSecret();
        assertEquals(32, Base32.encode(secret).length(), "160 bits are 32 characters");
        assertTrue(java.util.Arrays.equals(secret, Base32.decode(Base32.encode(secret))));
    }

    @Test
    void recoveryCodes_tenDistinct_matchedOnceByHash_ignoringCaseAndDashes() {
        var codes = RecoveryCodes.generate();
        assertEquals(10, new java.util.HashSet<>(codes).size());
        var hashes = codes.stream().map(RecoveryCodes::hash).toList();

        assertEquals(3, RecoveryCodes.match(codes.get(3).toUpperCase().replace("-", ""), hashes, java.util.Set.of()));
        assertEquals(-1, RecoveryCodes.match(codes.get(3), hashes, java.util.Set.of(3)), "a spent code");
        assertEquals(-1, RecoveryCodes.match("aaaa-bbbb-cccc", hashes, java.util.Set.of()));
    }
}
