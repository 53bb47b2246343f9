package nl.aware.web.staff;

import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;
import nl.aware.core.state.StaffDirectory;
import nl.aware.core.staff.StaffRole;
import nl.aware.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaffSessionsTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));
    private final StaffDirectory directory = new StaffDirectory();
    private final StaffSessions sessions = new StaffSessions(directory, clock, Duration.ofMinutes(15), Duration.ofHours(8));
    private long sequence;

    private void apply(Event event) {
        directory.apply(new LogRecord(++sequence, 0, 20, new byte[0], new byte[32]), event);
    }

    private StaffDirectory.Account account(String name) {
        apply(new Event.StaffAccountCreated(name, StaffRole.STAFF, HASH, "root", 0));
        return directory.find(name).orElseThrow();
    }

    @Test
    void token_is256RandomBitsAndOnlyItsHashIsKept() {
        StaffSessions.Issued first = sessions.open(account("sam"));
        StaffSessions.Issued second = sessions.open(account("kim"));

        assertEquals(43, first.token().length(), "32 bytes, unpadded base64url");
        assertNotEquals(first.token(), second.token());
        assertEquals(StaffSessions.hash(first.token()), first.session().tokenHash());
        assertFalse(first.session().toString().contains(first.token()));
        assertFalse(first.toString().contains(first.token()));
    }

    @Test
    void unusedSession_endsAfterTheIdleTime() {
        String token = sessions.open(account("sam")).token();
        clock.advance(Duration.ofMinutes(14).plusSeconds(59));
        assertTrue(sessions.use(token).isPresent());

        clock.advance(Duration.ofMinutes(15));

        assertTrue(sessions.use(token).isEmpty());
        assertEquals(0, sessions.size());
    }

    @Test
    void busySession_endsAtTheAbsoluteLimit() {
        String token = sessions.open(account("sam")).token();
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertTrue(sessions.use(token).isPresent(), "after " + (i + 1) * 10 + " min");
        }

        clock.advance(Duration.ofMinutes(10));

        assertTrue(sessions.use(token).isEmpty());
    }

    @Test
    void disablingTheAccount_endsItsSessionsAtTheirNextUse() {
        String token = sessions.open(account("sam")).token();

        apply(new Event.StaffAccountDisabled("sam", "root", 0));

        assertTrue(sessions.use(token).isEmpty());
    }

    @Test
    void newPassword_endsSessionsOpenedWithTheOldOne() {
        String token = sessions.open(account("sam")).token();

        apply(new Event.StaffPasswordChanged("sam", HASH.replace("$AAAA", "$BBBB"), "root", 0));

        assertTrue(sessions.use(token).isEmpty());
    }

    @Test
    void anAccountHoldsAtMostTenSessions_theOldestGoFirst() {
        StaffDirectory.Account sam = account("sam");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tokens.add(sessions.open(sam).token());
            clock.advance(Duration.ofSeconds(1));
        }

        assertTrue(sessions.use(tokens.get(0)).isEmpty());
        assertTrue(sessions.use(tokens.get(1)).isEmpty());
        assertTrue(sessions.use(tokens.get(2)).isPresent());
        assertEquals(10, sessions.size());
    }

    @Test
    void unknownOrOversizedTokens_findNothing() {
        sessions.open(account("sam"));

        assertTrue(sessions.use(null).isEmpty());
        assertTrue(sessions.use("").isEmpty());
        assertTrue(sessions.use("x".repeat(10_000)).isEmpty());
        assertTrue(sessions.use("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").isEmpty());
    }
}
