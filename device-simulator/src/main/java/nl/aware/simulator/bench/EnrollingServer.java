package nl.aware.simulator.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.ServerSetup;
import nl.aware.gateway.netty.GatewayConfig;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * A gateway-only server in this process, started on a data directory only to enrol devices before the measured
 * server ({@code aware server}, in its own process, which enrols devices offline only) starts there. Its start-up
 * warning that nothing is dispatched is true of it and says nothing about the run, so it is not printed.
 */
final class EnrollingServer {
    private EnrollingServer() {
    }

    static AwareServer start(DataDirectory data, DataKeyRing keys) throws Exception {
        Object logger = LoggerFactory.getLogger(AwareServer.class);
        Logger logback = logger instanceof Logger l ? l : null;
        Level level = logback == null ? null : logback.getLevel();
        if (logback != null) {
            logback.setLevel(Level.ERROR);
        }
        try {
            return AwareServer.start(ServerSetup.gatewayOnly(data, keys, GatewayConfig.defaults().withPort("127.0.0.1", 0)),
                    new SimpleMeterRegistry(), Clock.systemUTC());
        } finally {
            if (logback != null) {
                logback.setLevel(level);
            }
        }
    }
}
