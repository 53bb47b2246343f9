package nl.aware.gateway.console;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tests' authenticator computes the codes of RFC 6238's appendix B (SHA-1, the 8 digits cut to 6). */
class TotpTest {
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codes_matchRfc6238Vectors() {
        assertEquals("287082", Totp.code(KEY, 59 / 30));
        assertEquals("081804", Totp.code(KEY, 1111111109L / 30));
        assertEquals("005924", Totp.code(KEY, 1234567890L / 30));
        assertEquals("279037", Totp.code(KEY, 2000000000L / 30));
    }

    @Test
    void base32_decodesTheRfcKey() {
        assertEquals(new String(KEY, StandardCharsets.US_ASCII),
                new String(Totp.base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), StandardCharsets.US_ASCII));
    }
}
