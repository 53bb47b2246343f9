package nl.aware.http;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StrictUuidTest {
    private static final String CANONICAL = "0b6f6c8e-3c55-4a8e-9a57-1f1c1f7b2a10";

    @Test
    void canonicalForm_isParsed() {
        assertEquals(Optional.of(UUID.fromString(CANONICAL)), StrictUuid.parse(CANONICAL));
    }

    @Test
    void upperCase_isLoweredToTheCanonicalText() {
        assertEquals(CANONICAL, StrictUuid.parse(CANONICAL.toUpperCase(java.util.Locale.ROOT)).orElseThrow().toString());
    }

    @Test
    void shortGroupsBracesOrMissingDashes_areNoUuid() {
        for (String typed : new String[] {"1-1-1-1-1", "{" + CANONICAL + "}", CANONICAL.replace("-", ""), CANONICAL + "0",
                " " + CANONICAL, "", null}) {
            assertEquals(Optional.empty(), StrictUuid.parse(typed), String.valueOf(typed));
        }
    }
}
