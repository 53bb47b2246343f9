package nl.aware.core.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlertLifecycleTest {

    @Test
    void firstStep_isAllowedWhateverItIs() {
        assertEquals(AlertLifecycle.Verdict.ALLOWED, AlertLifecycle.judge(null, AlertStatus.ACKNOWLEDGED));
        assertEquals(AlertLifecycle.Verdict.ALLOWED, AlertLifecycle.judge(null, AlertStatus.CLOSED));
    }

    @Test
    void stepsInOrder_areAllowed_verifiedBetweenAcknowledgedAndDispatched() {
        AlertStatus[] order = {AlertStatus.ACKNOWLEDGED, AlertStatus.VERIFIED, AlertStatus.UNIT_DISPATCHED,
                AlertStatus.ON_SCENE, AlertStatus.CLOSED};
        for (int i = 1; i < order.length; i++) {
            assertEquals(AlertLifecycle.Verdict.ALLOWED, AlertLifecycle.judge(order[i - 1], order[i]), order[i].label());
        }
    }

    @Test
    void skippingAhead_isAllowed() {
        assertEquals(AlertLifecycle.Verdict.ALLOWED, AlertLifecycle.judge(AlertStatus.ACKNOWLEDGED, AlertStatus.ON_SCENE));
    }

    @Test
    void onSceneThenAcknowledged_goesBackwards() {
        assertEquals(AlertLifecycle.Verdict.BACKWARDS, AlertLifecycle.judge(AlertStatus.ON_SCENE, AlertStatus.ACKNOWLEDGED));
        assertEquals("alert is already on_scene; acknowledged comes earlier",
                AlertLifecycle.refusal(AlertStatus.ON_SCENE, AlertStatus.ACKNOWLEDGED));
    }

    @Test
    void nothingFollowsClosed() {
        for (AlertStatus status : AlertStatus.values()) {
            if (status != AlertStatus.CLOSED) {
                assertEquals(AlertLifecycle.Verdict.BACKWARDS, AlertLifecycle.judge(AlertStatus.CLOSED, status));
            }
        }
        assertEquals("alert is closed", AlertLifecycle.refusal(AlertStatus.CLOSED, AlertStatus.ON_SCENE));
    }

    @Test
    void theSameStepAgain_isAlready() {
        assertEquals(AlertLifecycle.Verdict.ALREADY, AlertLifecycle.judge(AlertStatus.VERIFIED, AlertStatus.VERIFIED));
        assertEquals("alert is already verified", AlertLifecycle.refusal(AlertStatus.VERIFIED, AlertStatus.VERIFIED));
    }

    @Test
    void verificationWithoutOutcome_isRefused_andOtherStepsCarryNone() {
        assertThrows(IllegalArgumentException.class, () -> AlertLifecycle.checkOutcome(AlertStatus.VERIFIED, null));
        assertThrows(IllegalArgumentException.class,
                () -> AlertLifecycle.checkOutcome(AlertStatus.CLOSED, VerificationOutcome.FALSE_ALARM));
    }
}
