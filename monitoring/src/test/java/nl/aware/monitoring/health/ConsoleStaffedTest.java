package nl.aware.monitoring.health;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleStaffedTest {

    @Test
    void noOperatorSignedIn_isDown_andSaysPressesEscalate() {
        Health health = new ConsoleStaffed("twente", () -> 0).check();

        assertFalse(health.up());
        assertTrue(health.reason().contains("escalates to Kadera"), health.reason());
    }

    @Test
    void oneOperatorSignedIn_isUp_andDownAgainWhenTheyLeave() {
        AtomicInteger operators = new AtomicInteger(1);
        ConsoleStaffed check = new ConsoleStaffed("twente", operators::get);

        assertTrue(check.check().up());
        operators.set(0);
        assertFalse(check.check().up());
        assertEquals("console-twente", check.name());
    }
}
