package nl.aware.simulator;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.DecodedLog;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.protocol.FrameType;
import nl.aware.simulator.device.FleetStats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a server's event log holds after a run, read the way an auditor would: read-only and verified
 * (hash chain, CRCs). Counts only; nothing of a payload is kept or printed.
 */
record LogSummary(DecodedLog.Result read, Map<FrameType, Long> accepted, Map<Key, UUID> panics) {

    record Key(long deviceId, long counter) {
    }

    static LogSummary read(Path logDirectory, DataKeyRing keys) throws IOException {
        EventCodec codec = new EventCodec(keys);
        Map<FrameType, Long> accepted = new EnumMap<>(FrameType.class);
        Map<Key, UUID> panics = new HashMap<>();
        DecodedLog.Result result = DecodedLog.read(logDirectory, codec, (record, event) -> {
            if (event instanceof Event.FrameAccepted frame) {
                accepted.merge(frame.frame().type(), 1L, Long::sum);
                if (frame.frame().type() == FrameType.PANIC) {
                    panics.put(new Key(frame.frame().deviceId(), frame.frame().counter()), frame.eventId());
                }
            }
        });
        return new LogSummary(result, accepted, panics);
    }

    long count(FrameType type) {
        return accepted.getOrDefault(type, 0L);
    }

    /** ACKed presses whose PANIC is not in the log under the event id the device was given. */
    List<FleetStats.AckedPanic> missing(List<FleetStats.AckedPanic> acked) {
        List<FleetStats.AckedPanic> missing = new ArrayList<>();
        for (FleetStats.AckedPanic panic : acked) {
            if (!panic.eventId().equals(panics.get(new Key(panic.deviceId(), panic.counter())))) {
                missing.add(panic);
            }
        }
        return missing;
    }

    VerifyResult verification() {
        return read.verification();
    }

    long undecodable() {
        return read.undecodable();
    }

    boolean intact() {
        return read.intact();
    }
}
