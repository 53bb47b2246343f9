package nl.aware.simulator.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the harness reads from a separate server's JVM. */
class SeparateServerTest {

    @Test
    void committedHeap_isReadInTheFormatsOfJdk17AndJdk25() {
        assertEquals(380.0, SeparateServer.committedMib(
                "garbage-first heap   total 389120K, used 123456K [0x00000000c0000000, 0x0000000100000000)"));
        assertEquals(256.0, SeparateServer.committedMib(
                "garbage-first heap   total reserved 1048576K, committed 262144K, used 13220K [0x00000000f0000000, "
                        + "0x0000000100000000)"));
        assertTrue(Double.isNaN(SeparateServer.committedMib("no heap here")));
    }
}
