package nl.aware.core.state;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The shared table of counter cases, against the Java rules as every Java store runs them. */
class CounterRulesTest {

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheSharedTable_getsItsVerdictFromTheJavaRules() {
        return CounterRuleCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            CounterWindow window = new CounterWindow();
            for (CounterRuleCases.Sent sent : c.accepted()) {
                var fresh = assertInstanceOf(CounterWindow.Verdict.Fresh.class,
                        window.classify(sent.counter(), sent.digest(), UUID.randomUUID()), "history: " + sent);
                fresh.entry().durable().complete(fresh.entry().eventId());
            }
            assertEquals(c.expected(), verdict(window.classify(c.probe().counter(), c.probe().digest(),
                    UUID.randomUUID())));
        }));
    }

    private static CounterRules.Verdict verdict(CounterWindow.Verdict verdict) {
        if (verdict instanceof CounterWindow.Verdict.Fresh) {
            return CounterRules.Verdict.FRESH;
        }
        return verdict instanceof CounterWindow.Verdict.Retransmission ? CounterRules.Verdict.RETRANSMISSION
                : CounterRules.Verdict.REPLAY;
    }
}
