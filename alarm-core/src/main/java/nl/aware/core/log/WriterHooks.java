package nl.aware.core.log;

import java.io.IOException;

/** Test seam: called on the writer thread. Production uses {@link #NONE}. */
interface WriterHooks {
    WriterHooks NONE = new WriterHooks() { };

    /** Before a drained batch is serialised. */
    default void beforeBatch(int size) {
    }

    /** After the batch was written, before the fsync; throwing simulates a failed write/fsync. */
    default void beforeForce() throws IOException {
    }

    /** Before the segment is truncated back after a failed batch; throwing simulates a failed truncation. */
    default void beforeTruncate() throws IOException {
    }
}
