package nl.aware.core.store;

import nl.aware.core.event.Event;
import nl.aware.core.log.AppendLane;
import nl.aware.core.protocol.FrameType;

/**
 * The one rule for which lane of the embedded log's writer an event waits in (DESIGN.md: audio never delays a
 * PANIC). A device frame other than sound goes first: it was judged on the state before anything still queued,
 * so writing it ahead of that is consistent. Sound and every other record keep their arrival order among
 * themselves, so that e.g. the closing of an alert never lands before sound that was accepted while it was open
 * (the alert's evidence and legal hold go by log order).
 */
public final class Lanes {
    private Lanes() {
    }

    public static AppendLane of(Event event) {
        if (event instanceof Event.FrameAccepted accepted && accepted.frame().type() != FrameType.AUDIO) {
            return AppendLane.FIRST;
        }
        return AppendLane.IN_TURN;
    }
}
