package nl.aware.core.staff;

import nl.aware.core.state.StaffDirectory;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaffEventsTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
            + "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    @TempDir
    static Path keys;
    private static EventCodec codec;

    @BeforeAll
    static void codec() throws Exception {
        codec = new EventCodec(DataKeyRing.create(keys.resolve("keys")));
    }

    private static LogRecord record(long sequence, Event event) {
        return new LogRecord(sequence, 1_764_000_000_000L, EventCodec.typeOf(event), codec.encode(event), new byte[32]);
    }

    @Test
    void staffEvents_useTypeCodes20To29AndRoundTrip() throws Exception {
        List<Event> events = List.of(
                new Event.StaffAccountCreated("anna", StaffRole.AUDITOR, HASH, "bootstrap", 1L),
                new Event.StaffPasswordChanged("anna", HASH, "root", 2L),
                new Event.StaffAccountDisabled("anna", "root", 3L),
                new Event.StaffAccess(4L, "bert", "127.0.0.1", "carrier.read", "0b6f", AccessOutcome.FORBIDDEN),
                new Event.StaffAccess(4L, "bert", "127.0.0.1", "session.login", "", AccessOutcome.WRONG_SECOND_FACTOR),
                new Event.StaffSecondFactorUsed("anna", 58_800_000L, 5L),
                new Event.StaffRecoveryCodeUsed("anna", 9, 6L),
                new Event.StaffSecondFactorReset("anna", "root", 7L));
        for (Event event : events) {
            int type = EventCodec.typeOf(event);
            assertTrue(type >= 20 && type <= 29, "type " + type);
            Event decoded = codec.decode(record(9, event));
            assertEquals(event.toString(), decoded.toString());
        }
        Event.StaffAccountCreated created = (Event.StaffAccountCreated) codec.decode(record(1, events.get(0)));
        assertEquals(HASH, created.passwordHash());
    }

    @Test
    void secondFactor_roundTrips_sealedAndBoundToTheAccount() throws Exception {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        List<String> hashes = RecoveryCodes.generate().stream().map(RecoveryCodes::hash).toList();
        Event.StaffSecondFactorEnrolled enrolled = new Event.StaffSecondFactorEnrolled("anna", secret, hashes, 42L, 8L);
        byte[] payload = codec.encode(enrolled);

        Event.StaffSecondFactorEnrolled decoded = (Event.StaffSecondFactorEnrolled) codec.decode(record(3, enrolled));
        assertTrue(java.util.Arrays.equals(secret, decoded.secret()));
        assertEquals(hashes, decoded.recoveryHashes());
        assertEquals(42L, decoded.step());
        assertEquals(EventCodec.STAFF_SECOND_FACTOR_ENROLLED, EventCodec.typeOf(enrolled));
        String raw = new String(payload, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("1234567890"), "the secret is sealed");
        assertFalse(raw.contains(hashes.get(0).substring(0, 16)), "so are the recovery code hashes");
        byte[] moved = raw.replaceFirst("anna", "mark").getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(EventFormatException.class, () -> codec.decode(
                new LogRecord(5, 0, EventCodec.STAFF_SECOND_FACTOR_ENROLLED, moved, new byte[32])));
    }

    @Test
    void passwordHash_isSealedInTheRecord() {
        byte[] payload = codec.encode(new Event.StaffAccountCreated("anna", StaffRole.STAFF, HASH, "bootstrap", 1L));

        String raw = new String(payload, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("argon2id"), "the hash's PHC prefix is not in the record");
        assertFalse(raw.contains("CTFhFdXPJO1a"));
        assertTrue(raw.contains("anna"), "the account name stays readable for the trail");
    }

    @Test
    void sealedHash_movedToAnotherAccount_doesNotOpen() {
        byte[] payload = codec.encode(new Event.StaffPasswordChanged("anna", HASH, "root", 2L));
        // same length name, so the record stays well-formed: only the binding to the account differs
        byte[] moved = new String(payload, StandardCharsets.ISO_8859_1).replaceFirst("anna", "mark")
                .getBytes(StandardCharsets.ISO_8859_1);

        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(
                new LogRecord(5, 0, EventCodec.STAFF_PASSWORD_CHANGED, moved, new byte[32])));
        assertTrue(e.getMessage().contains("staff password hash"), e.getMessage());
    }

    @Test
    void directory_projectsAccountsAndTheTrail() {
        StaffDirectory directory = new StaffDirectory();
        Event.StaffAccountCreated created = new Event.StaffAccountCreated("root", StaffRole.ADMINISTRATOR, HASH,
                "bootstrap", 1L);
        directory.apply(record(1, created), created);
        assertTrue(directory.hasEnabledAdministrator());
        directory.apply(record(2, new Event.StaffAccountDisabled("root", "root", 2L)),
                new Event.StaffAccountDisabled("root", "root", 2L));
        Event.StaffAccess access = new Event.StaffAccess(3L, "bert", "::1", "carrier.read", "c1", AccessOutcome.ALLOWED);
        directory.apply(record(3, access), access);

        assertFalse(directory.find("root").orElseThrow().enabled());
        assertFalse(directory.hasEnabledAdministrator());
        List<StaffDirectory.TrailEntry> trail = directory.trail(e -> true, 10);
        assertEquals(List.of("carrier.read", "account.disable", "account.create"),
                trail.stream().map(StaffDirectory.TrailEntry::action).toList(), "newest first");
        assertEquals(1, directory.trail(e -> e.username().equals("bert"), 10).size());
    }
}
