package nl.aware.simulator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
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

/**
 * The demo's case worker account, written into the fresh demo log before the server starts (as
 * {@code aware staff bootstrap} does for a first administrator), so that {@code demo --stay} can be
 * signed in to at once. A new random password each run; never used outside a demo data directory.
 */
final class DemoStaff {
    static final String USERNAME = "kadera";
    static final String CREATED_BY = "demo";

    private DemoStaff() {
    }

    /** Creates the account and returns its password. */
    static String create(DataDirectory data, DataKeyRing keys, Clock clock) throws IOException {
        byte[] random = new byte[15];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        EventCodec codec = new EventCodec(keys);
        try (EventLog log = StoreFactory.openLog(data, codec, new SimpleMeterRegistry(), new ServerState())) {
            Event event = new Event.StaffAccountCreated(USERNAME, StaffRole.STAFF,
                    new PasswordHasher().hash(password.toCharArray()), CREATED_BY, clock.millis());
            log.append(EventCodec.typeOf(event), codec.encode(event)).join();
        }
        return password;
    }
}
