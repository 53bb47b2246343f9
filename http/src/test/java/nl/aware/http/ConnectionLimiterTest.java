package nl.aware.http;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cap on the parent channel: accepted children arrive as messages, as they do from the acceptor. */
class ConnectionLimiterTest {
    private final ConnectionLimiter limiter = new ConnectionLimiter("test server", 2);
    private final EmbeddedChannel parent = new EmbeddedChannel(limiter);

    @AfterEach
    void noLeaks() {
        assertFalse(parent.finishAndReleaseAll());
    }

    @Test
    void childOverTheCap_isClosedAndNeverReachesTheAcceptor() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel third = new EmbeddedChannel();

        parent.writeInbound(first, second, third);

        assertSame(first, parent.readInbound());
        assertSame(second, parent.<Channel>readInbound());
        assertNull(parent.readInbound(), "the third never reaches the acceptor");
        assertFalse(third.isOpen());
        assertTrue(first.isOpen() && second.isOpen());
        assertEquals(2, limiter.open());
        assertEquals(1, limiter.refused());
        first.close();
        second.close();
    }

    @Test
    void closingAChild_freesItsSlot() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        parent.writeInbound(first, second);
        parent.readInbound();
        parent.readInbound();

        first.close();
        EmbeddedChannel third = new EmbeddedChannel();
        parent.writeInbound(third);

        assertSame(third, parent.readInbound());
        assertTrue(third.isOpen());
        assertEquals(2, limiter.open());
        assertEquals(0, limiter.refused());
        second.close();
        third.close();
    }
}
