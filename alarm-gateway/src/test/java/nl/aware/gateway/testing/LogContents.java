package nl.aware.gateway.testing;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.VerifyResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The events in a log directory, read the way an auditor would: read-only, verified. */
public record LogContents(List<Event> events, VerifyResult verification) {

    public static LogContents read(Path logDirectory, DataKeyRing keys) {
        EventCodec codec = new EventCodec(keys);
        List<Event> events = new ArrayList<>();
        try {
            VerifyResult result = EventLog.read(logDirectory, record -> {
                try {
                    events.add(codec.decode(record));
                } catch (EventFormatException e) {
                    throw new AssertionError(e.getMessage(), e);
                }
            });
            return new LogContents(events, result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Event.FrameAccepted> accepted() {
        return events.stream().filter(Event.FrameAccepted.class::isInstance).map(Event.FrameAccepted.class::cast).toList();
    }

    public List<Event.SecurityViolation> violations() {
        return events.stream().filter(Event.SecurityViolation.class::isInstance)
                .map(Event.SecurityViolation.class::cast).toList();
    }
}
