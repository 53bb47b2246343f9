package nl.aware.gateway;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.staff.PasswordPolicy;
import nl.aware.core.state.StaffDirectory;
import nl.aware.core.staff.StaffRole;
import nl.aware.core.state.ServerState;

import java.io.IOException;
import java.time.Clock;

/**
 * The first administrator, written straight into the log of a stopped server (the log's lock makes
 * sure it is stopped). Refused once an enabled administrator exists: from then on accounts are made
 * through the staff API, by an administrator, in the trail.
 */
public final class StaffBootstrap {
    /** Who the trail names as creator of a bootstrapped account. */
    public static final String BY = "bootstrap";

    private StaffBootstrap() {
    }

    /**
     * @throws IllegalArgumentException for a bad name or a weak password (the message says which)
     * @throws ConfigurationException   when an enabled administrator exists already
     */
    public static void createFirstAdministrator(DataDirectory data, DataKeyRing keys, String username, char[] password,
                                                Clock clock) throws IOException, ConfigurationException {
        String problem = StaffDirectory.invalidUsername(username);
        if (problem == null) {
            problem = PasswordPolicy.weakness(password, username);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        data.requirePki();
        EventCodec codec = new EventCodec(keys);
        ServerState state = new ServerState();
        try (EventLog log = StoreFactory.openLog(data, codec, new SimpleMeterRegistry(), state)) {
            if (state.staff().hasEnabledAdministrator()) {
                throw new ConfigurationException("an administrator exists already; create further accounts through "
                        + "the staff API (`aware staff accounts create`)");
            }
            if (state.staff().find(username).isPresent()) {
                throw new ConfigurationException("account " + username + " exists already (disabled); choose another name");
            }
            Event event = new Event.StaffAccountCreated(username, StaffRole.ADMINISTRATOR,
                    new PasswordHasher().hash(password), BY, clock.millis());
            log.append(EventCodec.typeOf(event), codec.encode(event)).join();
        }
    }
}
