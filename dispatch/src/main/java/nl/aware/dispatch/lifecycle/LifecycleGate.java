package nl.aware.dispatch.lifecycle;

import nl.aware.core.event.AlertLifecycle;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.intake.EventRecorder;
import nl.aware.dispatch.work.DispatchProjection;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The one door through which lifecycle steps reach the log, for the police callback and the console alike.
 * It applies {@link AlertLifecycle}'s rule against the last step recorded or already on its way to the log,
 * under one lock: of two people reporting at once, exactly one step is recorded and the other is refused
 * naming the state the first one made. A refused step records nothing.
 *
 * <p>One gate per server; with several gateway nodes on one Redis log each node has its own gate, and a
 * race between nodes is settled by the projection's forward-only rule (the later record changes nothing).
 */
public final class LifecycleGate {
    private final DispatchProjection projection;
    private final EventRecorder recorder;
    /** Steps allowed and handed to the log but not yet applied to the projection. */
    private final Map<UUID, AlertStatus> inFlight = new HashMap<>();

    public LifecycleGate(DispatchProjection projection, EventRecorder recorder) {
        this.projection = projection;
        this.recorder = recorder;
    }

    /** What became of a reported step. */
    public sealed interface Outcome {
        /** Durable in the log. */
        record Recorded(Event.AlertStatusReported report) implements Outcome {
        }

        /** The alert is already at this step: nothing recorded. */
        record Already(AlertStatus current) implements Outcome {
        }

        /** The step would take the alert back (or past closed): nothing recorded. */
        record Refused(AlertStatus current, String reason) implements Outcome {
        }

        /** No open or known alert has this id. */
        record UnknownAlert(UUID alertId) implements Outcome {
        }

        /** The log did not take it (overloaded, disk trouble): nothing recorded, the caller may retry. */
        record NotRecorded(Throwable cause) implements Outcome {
        }
    }

    /** Decides and, when allowed, records. The future completes once the step is durable and applied. */
    public CompletableFuture<Outcome> report(Event.AlertStatusReported report) {
        UUID alertId = report.alertId();
        Optional<DispatchProjection.AlertView> alert = projection.alert(alertId);
        if (alert.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome.UnknownAlert(alertId));
        }
        AlertStatus current;
        CompletableFuture<?> durable;
        synchronized (inFlight) {
            current = later(projection.alert(alertId).orElseThrow().status(), inFlight.get(alertId));
            switch (AlertLifecycle.judge(current, report.status())) {
                case ALREADY -> {
                    return CompletableFuture.completedFuture(new Outcome.Already(current));
                }
                case BACKWARDS -> {
                    return CompletableFuture.completedFuture(new Outcome.Refused(current,
                            AlertLifecycle.refusal(current, report.status())));
                }
                case ALLOWED -> inFlight.put(alertId, report.status());
            }
            // Handed to the log under the lock (the append only queues): two steps allowed one after the
            // other must reach the log in that order, or a later step could be recorded before an earlier one.
            try {
                durable = recorder.record(report);
            } catch (RuntimeException e) {
                durable = CompletableFuture.failedFuture(e);
            }
        }
        return durable.handle((ignored, failure) -> {
            synchronized (inFlight) {
                inFlight.remove(alertId, report.status());
            }
            return failure == null ? new Outcome.Recorded(report) : new Outcome.NotRecorded(failure);
        });
    }

    private static AlertStatus later(AlertStatus a, AlertStatus b) {
        if (a == null) {
            return b;
        }
        return b != null && b.after(a) ? b : a;
    }
}
