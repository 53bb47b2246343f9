package nl.aware.records.audio;

import nl.aware.core.event.Event;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recordings of an alert, from its frames in log order (as {@code AlertMembership} gives them): one
 * {@link RecordedStream} per device and stream id, in the order their first frame was kept. A stream whose id is
 * the counter of one of the alert's PANICs of that device is the press's; any other is a LISTEN's. Exporter,
 * verifier and report all use this one rule, so the bundle's files and the report cannot disagree.
 */
public final class Recordings {
    private Recordings() {
    }

    public static List<RecordedStream> of(List<Event.FrameAccepted> alertFrames) {
        Set<String> pressStreams = new HashSet<>();
        for (Event.FrameAccepted f : alertFrames) {
            if (f.frame().type() == FrameType.PANIC) {
                pressStreams.add(key(f.frame().deviceId(), f.frame().counter()));
            }
        }
        Map<String, RecordedStream> streams = new LinkedHashMap<>();
        for (Event.FrameAccepted f : alertFrames) {
            DeviceFrame frame = f.frame();
            if (frame.type() != FrameType.AUDIO) {
                continue;
            }
            long streamId = frame.audio().streamId();
            String key = key(frame.deviceId(), streamId);
            streams.computeIfAbsent(key, k -> new RecordedStream(frame.deviceId(), streamId,
                    pressStreams.contains(k) ? RecordedStream.Kind.PRESS : RecordedStream.Kind.LISTEN))
                    .add(frame.audio(), Instant.ofEpochMilli(f.receiveTimeMs()));
        }
        return new ArrayList<>(streams.values());
    }

    /** The file a stream is written to in an evidence bundle. */
    public static String fileName(RecordedStream stream) {
        return "recording-" + DeviceIds.format(stream.deviceId()) + "-" + Long.toUnsignedString(stream.streamId()) + ".opus";
    }

    private static String key(long deviceId, long streamId) {
        return deviceId + "/" + streamId;
    }
}
