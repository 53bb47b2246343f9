package nl.aware.core.log;

/**
 * Which of the writer's two queues an append waits in (docs/event-log.md "Two lanes"). Both lanes end in the
 * one hash chain and the same group commit; only the order in which the writer takes them differs.
 */
public enum AppendLane {
    /**
     * Device frames other than sound (PANIC first of all): taken in full at the start of every write cycle, so
     * they never wait behind a backlog of audio.
     */
    FIRST,
    /**
     * Sound and every other record, in arrival order among themselves: at most {@link EventLog#IN_TURN_PER_BATCH}
     * a write cycle, after the {@link #FIRST} lane. One FIFO, so that a record about an alert (e.g. its closing)
     * never overtakes sound that arrived before it.
     */
    IN_TURN
}
