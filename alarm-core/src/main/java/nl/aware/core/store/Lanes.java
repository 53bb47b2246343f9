package nl.aware.core.store;

import nl.aware.core.event.Event;
import nl.aware.core.log.AppendLane;
import nl.aware.core.protocol.FrameType;

/**
 * The one rule for which lane of the embedded log's writer an event waits in (DESIGN.md: audio never delays a
 * PANIC). A device frame other than sound or an answer to a command goes first: it was judged on the state before
 * anything still queued, so writing it ahead of that is consistent. Sound, a device's COMMAND_RESULT and every other
 * record keep their arrival order among themselves, so that e.g. the closing of an alert never lands before sound
 * or an answer that was accepted while it was open (the alert's evidence and legal hold go by log order). An answer
 * is never urgent, and each new alert brings three (the ALERT_STATUS feedback): in turn, they share an fsync.
 */
public final class Lanes {
    private Lanes() {
    }

    public static AppendLane of(Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            FrameType type = accepted.frame().type();
            return type == FrameType.AUDIO || type == FrameType.COMMAND_RESULT ? AppendLane.IN_TURN : AppendLane.FIRST;
        }
        return AppendLane.IN_TURN;
    }
}
