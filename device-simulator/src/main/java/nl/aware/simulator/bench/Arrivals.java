package nl.aware.simulator.bench;

import nl.aware.simulator.controlroom.Arrival;
import nl.aware.simulator.controlroom.ArrivalListener;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each press first reached a control room, by press id (= the event id in the device's ACK):
 * a new alert (its alertId is the press's event id) or a repeated press on an open alert (an update
 * of kind repeated_press whose press.pressId is the event id). Timed with System.nanoTime on the
 * control room's route thread the moment it accepted the request, before any response delay.
 */
final class Arrivals implements ArrivalListener {
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    private final Set<String> newAlerts = ConcurrentHashMap.newKeySet();

    @Override
    public void arrived(Arrival arrival) {
        long now = System.nanoTime();
        boolean alert = arrival.kind() == Arrival.Kind.ALERT;
        boolean repeated = arrival.kind() == Arrival.Kind.UPDATE && "repeated_press".equals(arrival.detail());
        if (!alert && !repeated) {
            return;
        }
        String pressId = arrival.body().path("press").path("pressId").asText("");
        if (pressId.isEmpty()) {
            return;
        }
        firstArrival.putIfAbsent(pressId, now);
        if (alert) {
            newAlerts.add(pressId);
        }
    }

    Long at(UUID pressId) {
        return firstArrival.get(pressId.toString());
    }

    boolean newAlert(UUID pressId) {
        return newAlerts.contains(pressId.toString());
    }

    int count() {
        return firstArrival.size();
    }
}
