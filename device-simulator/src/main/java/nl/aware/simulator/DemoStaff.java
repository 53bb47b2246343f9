package nl.aware.simulator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.staff.StaffRole;
import nl.aware.core.state.ServerState;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.StoreFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The demo's accounts, written into the fresh demo log before the server starts (as {@code aware staff
 * bootstrap} does for a first administrator), so that {@code demo --stay} can be signed in to at once: a
 * case worker for the staff console, and an operator of both demo regions for the control-room console.
 * New random passwords each run; never used outside a demo data directory. Each enrols its second factor at
 * its first sign-in, like every account.
 */
final class DemoStaff {
    static final String USERNAME = "kadera";
    static final String OPERATOR = "meldkamer";
    static final String CREATED_BY = "demo";

    /** The passwords of the two demo accounts. */
    record Passwords(String staff, String operator) {
    }

    private DemoStaff() {
    }

    /** Creates both accounts and returns their passwords. */
    static Passwords create(DataDirectory data, DataKeyRing keys, Clock clock) throws IOException {
        Passwords passwords = new Passwords(randomPassword(), randomPassword());
        PasswordHasher hasher = new PasswordHasher();
        EventCodec codec = new EventCodec(keys);
        try (EventLog log = StoreFactory.openLog(data, codec, new SimpleMeterRegistry(), new ServerState())) {
            for (Event event : List.of(
                    new Event.StaffAccountCreated(USERNAME, StaffRole.STAFF, hasher.hash(passwords.staff().toCharArray()),
                            CREATED_BY, clock.millis()),
                    new Event.StaffAccountCreated(OPERATOR, StaffRole.OPERATOR,
                            hasher.hash(passwords.operator().toCharArray()), CREATED_BY, clock.millis()),
                    new Event.OperatorRegionsSet(OPERATOR, Set.of(Region.IJSSELLAND, Region.TWENTE), CREATED_BY,
                            clock.millis()))) {
                log.append(EventCodec.typeOf(event), codec.encode(event)).join();
            }
        }
        return passwords;
    }

    private static String randomPassword() {
        byte[] random = new byte[15];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
