package nl.aware.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.event.Region;
import nl.aware.simulator.controlroom.ReceivedAlert;
import nl.aware.simulator.controlroom.SimulatedControlRoom;
import nl.aware.simulator.controlroom.SimulatedPolice;
import nl.aware.simulator.device.FleetStats;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What the police received, checked against what the devices were told: every acknowledged PANIC
 * reached a control room once, as a new alert or as a repeated press on the open one.
 */
record PoliceSummary(int alerts, int updates, int escalations, long duplicates, long replays, int acknowledgedPresses,
                     int pressesAtPolice, long closed) {

    static PoliceSummary of(SimulatedPolice police, Collection<FleetStats.AckedPanic> acked) {
        Set<String> alertIds = new HashSet<>();
        Set<String> updateIds = new HashSet<>();
        int updates = 0;
        long replays = 0;
        long closed = 0;
        for (Region region : Region.values()) {
            SimulatedControlRoom room = police.room(region);
            replays += room.replays();
            closed += room.callbacks().stream().filter(c -> "closed".equals(c.status()) && c.delivered()).count();
            for (ReceivedAlert alert : room.alerts().values()) {
                alertIds.add(alert.alertId());
                for (JsonNode update : room.updates(alert.alertId())) {
                    updates++;
                    updateIds.add(update.path("updateId").asText());
                }
            }
        }
        int reached = 0;
        for (FleetStats.AckedPanic panic : acked) {
            String id = panic.eventId().toString();
            if (alertIds.contains(id) || updateIds.contains(id)) {
                reached++;
            }
        }
        return new PoliceSummary(alertIds.size(), updates, police.kadera().escalations().size(), police.duplicates(),
                replays, acked.size(), reached, closed);
    }

    boolean complete() {
        return duplicates == 0 && pressesAtPolice == acknowledgedPresses;
    }

    void print(PrintWriter out) {
        out.printf("police: %d alerts, %d updates (tracking, repeated presses), %d escalations to Kadera, "
                + "%d idempotent replays, %d DUPLICATES; %d alerts closed by the control rooms%n",
                alerts, updates, escalations, replays, duplicates, closed);
        out.printf("ACKed presses at the police: %d of %d%n", pressesAtPolice, acknowledgedPresses);
    }
}
