package nl.aware.monitoring.health;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogWritableTest {

    @Test
    void followsTheProbe() {
        AtomicBoolean writable = new AtomicBoolean(true);
        EventLogWritable check = new EventLogWritable(writable::get);
        assertTrue(check.check().up());

        writable.set(false);

        assertFalse(check.check().up());
        assertEquals("event-log", check.name());
    }
}
