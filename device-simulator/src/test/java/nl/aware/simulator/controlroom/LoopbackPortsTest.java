package nl.aware.simulator.controlroom;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackPortsTest {

    @Test
    void freePort_isBelowTheEphemeralRange_andCanBeBound() throws Exception {
        int port = LoopbackPorts.free();
        assertTrue(port >= LoopbackPorts.FIRST && port <= LoopbackPorts.LAST, "port " + port);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, server.getLocalPort());
        }
    }
}
