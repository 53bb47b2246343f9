package nl.aware.gateway.netty;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusalBudgetTest {
    private final MutableClock clock = new MutableClock();
    private final RefusalBudget budget = new RefusalBudget(clock, Duration.ofMinutes(1), 3);

    @Test
    void secondRefusalOfTheSameCertificateWithinAMinute_isNotRecorded() {
        assertTrue(budget.tryRecord(List.of("cert-a", "10.0.0.1")));
        assertFalse(budget.tryRecord(List.of("cert-a", "10.0.0.2")));
    }

    @Test
    void anotherCertificateFromTheSameAddressWithinAMinute_isNotRecorded() {
        assertTrue(budget.tryRecord(List.of("cert-a", "10.0.0.1")));
        assertFalse(budget.tryRecord(List.of("cert-b", "10.0.0.1")));
    }

    @Test
    void sameCertificateAfterAMinute_isRecordedAgain() {
        assertTrue(budget.tryRecord(List.of("cert-a", "10.0.0.1")));
        clock.advance(Duration.ofSeconds(60));
        assertTrue(budget.tryRecord(List.of("cert-a", "10.0.0.1")));
    }

    @Test
    void whenAllKeysAreYoung_aFreshKeyIsNotRecorded_soMemoryStaysBounded() {
        assertTrue(budget.tryRecord(List.of("cert-a", "10.0.0.1")));
        assertTrue(budget.tryRecord(List.of("cert-b")));
        assertFalse(budget.tryRecord(List.of("cert-c", "10.0.0.3")), "four keys in a budget of three");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(budget.tryRecord(List.of("cert-c", "10.0.0.3")), "spent keys are forgotten when they expire");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-04T06:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
