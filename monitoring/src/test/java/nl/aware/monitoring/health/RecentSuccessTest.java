package nl.aware.monitoring.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentSuccessTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private final AtomicLong now = new AtomicLong(-5 * MINUTE); // nanoTime may be negative
    private final RecentSuccess police = new RecentSuccess("police-ijsselland", Duration.ofMinutes(2), now::get);

    @Test
    void nothingAttempted_isUp() {
        now.addAndGet(60 * MINUTE);

        assertTrue(police.check().up());
    }

    @Test
    void quietLongAfterTheLastAnswer_isUp() {
        police.attempted();
        police.succeeded();
        now.addAndGet(60 * MINUTE);

        assertTrue(police.check().up());
    }

    @Test
    void attemptUnansweredWithinTheWindow_isUp() {
        police.attempted();
        now.addAndGet(MINUTE);

        assertTrue(police.check().up());
    }

    @Test
    void attemptUnansweredLongerThanTheWindow_isDown() {
        police.attempted();
        now.addAndGet(MINUTE);
        police.attempted(); // retries do not restart the clock
        now.addAndGet(MINUTE + 1);

        assertFalse(police.check().up());
    }

    @Test
    void answerAfterBeingDown_isUpAgain() {
        police.attempted();
        now.addAndGet(3 * MINUTE);
        police.succeeded();

        assertTrue(police.check().up());
    }
}
