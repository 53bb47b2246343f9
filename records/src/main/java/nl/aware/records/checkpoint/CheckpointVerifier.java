package nl.aware.records.checkpoint;

import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.VerifyResult;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code aware log verify}: the chain check of {@link EventLog#read} plus every checkpoint's signature and its
 * agreement with the chain. Read-only. The first problem is named by the record it concerns: a record the chain
 * rejects, or, when the chain itself was recomputed after an edit, the checkpoint that no longer matches it
 * (with the range of records in which the rewrite lies).
 */
public final class CheckpointVerifier {
    /**
     * How far back a checkpoint may point. The server signs the last durable record it knows of, and at most
     * the log's queue of pending appends (65,536) can be written between that and the checkpoint itself.
     */
    static final int WINDOW = 1 << 17;

    /**
     * @param chain           the chain check; its problem is the first bad record when the chain is broken
     * @param checkpoints     checkpoints found and verified (up to the first problem)
     * @param lastCheckpoint  the last sound checkpoint, or null
     * @param checkpointRecord the sequence of the record holding {@code lastCheckpoint}, 0 if none
     * @param problem         the first problem, chain or checkpoint, or null when the log verifies
     * @param caChecked       whether checkpoint certificates were checked against a trusted CA
     */
    public record Report(VerifyResult chain, int checkpoints, Event.Checkpoint lastCheckpoint, long checkpointRecord,
                         Problem problem, boolean caChecked) {
        public boolean intact() {
            return problem == null;
        }

        /** Records after the one the last checkpoint signs (not counting that checkpoint's own record): chain only. */
        public long uncheckpointedRecords() {
            if (lastCheckpoint == null) {
                return chain.lastSequence();
            }
            return chain.lastSequence() - lastCheckpoint.sequence() - 1;
        }
    }

    /** The first bad record: {@code segment} and {@code offset} are known for chain problems only (else null, -1). */
    public record Problem(long sequence, String segment, long offset, String description) {
    }

    private CheckpointVerifier() {
    }

    /** @param trustedCa the deployment's CA, or null to check signatures against the embedded certificates only */
    public static Report verify(Path logDirectory, X509Certificate trustedCa) throws IOException {
        Scanner scanner = new Scanner(trustedCa);
        return scanner.report(EventLog.read(logDirectory, scanner::onRecord));
    }

    /** A report of a chain check alone, for a log that holds no checkpoints (the Redis-held log, docs/redis.md). */
    public static Report chainOnly(VerifyResult chain) {
        return new Scanner(null).report(chain);
    }

    /**
     * The checks of {@link #verify}, fed one record at a time in log order, so that a reader that passes over
     * the log anyway (e.g. the alert history) checks the checkpoints in the same pass.
     */
    public static final class Scanner {
        private final X509Certificate ca;
        private final byte[][] hashes = new byte[WINDOW][];
        private final EventCodec codec = new EventCodec(null);
        private int count;
        private Event.Checkpoint last;
        private long lastRecord;
        private Problem problem;

        /** @param ca the deployment's CA, or null to check signatures against the embedded certificates only */
        public Scanner(X509Certificate ca) {
            this.ca = ca;
        }

        /** The report once the pass has ended with {@code chain}, the read's own chain check. */
        public Report report(VerifyResult chain) {
            Problem first = problem;
            if (first == null && !chain.intact()) {
                VerifyResult.Problem p = chain.problem();
                first = new Problem(p.sequence(), p.segment(), p.offset(), p.description());
            }
            return new Report(chain, count, last, lastRecord, first, ca != null);
        }

        public void onRecord(LogRecord record) {
            if (problem != null) {
                return;
            }
            hashes[(int) (record.sequence() % WINDOW)] = record.hash();
            if (record.type() != EventCodec.CHECKPOINT) {
                return;
            }
            String wrong;
            Event.Checkpoint checkpoint = null;
            try {
                checkpoint = (Event.Checkpoint) codec.decode(record);
                wrong = check(record, checkpoint);
            } catch (EventFormatException e) {
                wrong = "the checkpoint record is malformed: " + e.getMessage();
            }
            if (wrong != null) {
                problem = new Problem(record.sequence(), null, -1, wrong);
                return;
            }
            count++;
            last = checkpoint;
            lastRecord = record.sequence();
        }

        private String check(LogRecord record, Event.Checkpoint checkpoint) {
            long covered = checkpoint.sequence();
            if (covered >= record.sequence() || covered < 1 || record.sequence() - covered >= WINDOW) {
                return "the checkpoint names record " + covered + ", which is not one of the " + (WINDOW - 1)
                        + " records before it";
            }
            if (last != null && covered < last.sequence()) {
                return "the checkpoint names record " + covered + ", before the previous checkpoint's " + last.sequence();
            }
            String signature = Checkpoints.problem(checkpoint, ca);
            if (signature != null) {
                return signature;
            }
            byte[] actual = hashes[(int) (covered % WINDOW)];
            if (!Arrays.equals(actual, checkpoint.hash())) {
                long from = last == null ? 1 : last.sequence() + 1;
                return "the checkpoint signed hash " + HexFormat.of().formatHex(checkpoint.hash(), 0, 8)
                        + "… for record " + covered + ", the log holds " + HexFormat.of().formatHex(actual, 0, 8)
                        + "…: records " + from + ".." + covered + " were rewritten after they were checkpointed"
                        + " (the chain was recomputed to hide it)";
            }
            return null;
        }
    }
}
