package nl.aware.simulator.controlroom;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port for a listener that is started later but must be named first: the status callback the
 * simulated control rooms report to, a server process's metrics port. It is taken below Linux's ephemeral range
 * (32768-60999), from which port-0 listeners and every outgoing connection take theirs: a port from that range,
 * free when probed, can be taken by any connection before the server binds it (a CI run failed so, with
 * "Address already in use" on the callback port).
 */
public final class LoopbackPorts {
    static final int FIRST = 20_000;
    static final int LAST = 32_767;
    private static final int ATTEMPTS = 100;

    private LoopbackPorts() {
    }

    public static int free() throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(false);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (BindException taken) {
                // in use: draw again
            }
        }
        throw new IOException("no free loopback port between " + FIRST + " and " + LAST + " in " + ATTEMPTS + " draws");
    }
}
