package nl.aware.core.log;

import static nl.aware.core.log.SegmentFormat.HEADER_BYTES;
import static nl.aware.core.log.SegmentFormat.MAX_PAYLOAD_BYTES;
import static nl.aware.core.log.SegmentFormat.MAX_RECORD_BYTES;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import nl.aware.core.files.OwnerOnly;
import nl.aware.core.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable event log: the single source of truth of the server. Append-only, hash-chained,
 * group-committed segment files in one directory.
 *
 * <h2>On-disk format (all integers big-endian)</h2>
 * <ul>
 *   <li>{@code segment-%020d.log}: segment files, named by the first sequence they hold. A {@code LOCK} file is
 *       held with a {@link FileLock} while the log is open.</li>
 *   <li>Segment header (16 bytes): magic {@code "AWLOG\0\0\1"} (8 bytes), u64 first sequence.</li>
 *   <li>Record: {@code u32 bodyLength | u32 CRC32C(body) | body}, where
 *       {@code body = u64 sequence | i64 timestampMs | u8 type | 32-byte prevHash | payload}.
 *       {@code prevHash} is the SHA-256 of the previous record's body (32 zero bytes for sequence 1). Sequences
 *       start at 1 and have no gaps across segments. {@code bodyLength} is 49..65536 (payload at most 65487).</li>
 * </ul>
 *
 * <h2>Writing</h2>
 * One writer thread ({@code aware-eventlog-writer}) takes up to {@code maxBatch} appends from two bounded queues
 * (lanes, {@link AppendLane}): all of the {@link AppendLane#FIRST} lane that fits, then at most
 * {@link #IN_TURN_PER_BATCH} of the {@link AppendLane#IN_TURN} lane; so a PANIC waits for at most one bounded
 * batch, never behind a backlog of sound. When only the IN_TURN lane has work, the writer waits up to
 * {@link EventLogOptions#inTurnLinger()} for company (a FIRST record ends the wait at once). It serialises them
 * (sequence, timestamp, one chain), writes them, issues ONE {@code force(false)} and only then completes their
 * futures (on the writer thread). Before a batch, a segment holding {@code segmentBytes} or more is rolled: the
 * new file gets its header, is fsync'd, and the directory is fsync'd. A failed write/fsync fails the whole batch
 * with {@link LogWriteException}, truncates the segment back to the last durable position and carries on; if that
 * truncation fails the log enters a failed state in which every append fails.
 *
 * <h2>Recovery</h2>
 * {@link #open} replays all records and checks magic, CRC, length bounds, sequence continuity and the hash chain.
 * A bad record (or header) in the LAST segment that no valid later record follows (scanning up to 16 MiB ahead
 * byte by byte) is a torn tail from a crash: it is cut off, fsync'd, logged and reported. Everything else throws
 * {@link LogCorruptedException}. Replay is streamed: when open() throws, discard what the handler received.
 */
public final class EventLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    static final String LOCK_FILE = "LOCK";
    static final String WRITER_THREAD_NAME = "aware-eventlog-writer";
    private static final int WRITE_BUFFER_BYTES = 1024 * 1024;
    /**
     * The writer zeroes this much of the current segment ahead of the records: a write inside the file's length
     * leaves fdatasync no size to record, so each group commit costs one data write and a flush, not also an
     * inode write (docs/event-log.md, "Room ahead"). About a fifth of a second of records at 1,000 presses/s:
     * small, because presses that arrive while the room is zeroed and fsync'd wait for it.
     */
    public static final int ROOM_AHEAD_BYTES = 128 * 1024;
    /** Less room than this after a batch, and the writer zeroes the next {@link #ROOM_AHEAD_BYTES}. */
    private static final int ROOM_LOW_BYTES = 32 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
    /**
     * Most records of the {@link AppendLane#IN_TURN} lane in one write cycle: a PANIC arriving while a batch is being
     * written waits for at most this much sound (about 256 KiB) and one fsync.
     */
    public static final int IN_TURN_PER_BATCH = 256;

    private final Path directory;
    private final long segmentBytes;
    private final int maxBatch;
    private final long inTurnLingerNanos;
    private final RecoveryReport recovery;
    private final WriterHooks hooks;
    private final ArrayBlockingQueue<Pending> first;
    private final ArrayBlockingQueue<Pending> inTurn;
    /** Released once per append and by close(): what the idle writer waits on, whichever lane has work. */
    private final Semaphore work = new Semaphore(0);
    private final Thread writer;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final MeterRegistry registry;

    private volatile boolean closed;
    private volatile IOException failure; // failed state: set once, never cleared
    private volatile boolean lastBatchFailed; // e.g. disk full: cleared by the next batch that is durable
    /** Free space that counts as "room again" after a failed write (several typical batches). */
    private static final long ROOM_AGAIN_BYTES = 256 * 1024;
    /** A full disk fails every batch: one line (with the cause) a second, not one per batch. */
    private final RateLimitedLog writeFailureLog = new RateLimitedLog(log, 1000);
    /** Its own limit, so that a warning about room never hides the error of a refused record. */
    private final RateLimitedLog roomFailureLog = new RateLimitedLog(log, 1000);
    private volatile long lastDurableSequence;

    // writer-thread state
    private FileChannel channel;
    private Path segmentPath;
    private long segmentPosition; // durable end of the current segment
    private long segmentLength; // the file's length: segmentPosition plus zeroed room ahead
    private long lastSequence;
    private byte[] lastHash;
    private final CRC32C crc = new CRC32C();
    private final MessageDigest sha = SegmentFormat.sha256();
    private final byte[] scratch = new byte[MAX_RECORD_BYTES];
    private final ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);

    private final Timer appendLatency;
    private final DistributionSummary batchSize;
    private final Timer fsyncTimer;
    private final Counter appendFailures;
    private final Gauge pendingGauge;

    private record Pending(int type, byte[] payload, long enqueuedNanos, Consumer<LogRecord> onDurable,
                           CompletableFuture<LogRecord> future) {
    }

    private EventLog(EventLogOptions options, MeterRegistry registry, WriterHooks hooks, FileChannel lockChannel,
                     FileLock lock, SegmentScanner.Result scan, RecoveryReport recovery) {
        this.directory = options.directory();
        this.segmentBytes = options.segmentBytes();
        this.maxBatch = options.maxBatch();
        this.inTurnLingerNanos = options.inTurnLinger().toNanos();
        this.hooks = hooks;
        this.registry = registry;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovery = recovery;
        this.first = new ArrayBlockingQueue<>(options.maxPendingAppends());
        this.inTurn = new ArrayBlockingQueue<>(options.maxPendingAppends());
        this.lastSequence = scan.lastSequence;
        this.lastHash = scan.lastHash;
        this.lastDurableSequence = scan.lastSequence;
        this.appendLatency = Timer.builder("aware.eventlog.append.latency")
                .description("Time from append() to the record being fsync'd").register(registry);
        this.batchSize = DistributionSummary.builder("aware.eventlog.batch.size")
                .description("Records written per group commit (one fsync)").register(registry);
        this.fsyncTimer = Timer.builder("aware.eventlog.fsync")
                .description("Duration of FileChannel.force per batch").register(registry);
        this.appendFailures = Counter.builder("aware.eventlog.append.failures")
                .description("Appends that failed (overload, write/fsync failure, failed state)").register(registry);
        this.pendingGauge = Gauge.builder("aware.eventlog.pending", this, EventLog::pending)
                .description("Appends waiting for the writer (both lanes)").register(registry);
        this.writer = new Thread(this::runWriter, WRITER_THREAD_NAME);
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if absent) the log, replays every record in order into {@code replay} (on the calling
     * thread), truncates a torn tail and reports it, then starts the writer thread.
     *
     * @throws LogCorruptedException if a bad record is not a torn tail (names segment, offset, sequence)
     * @throws LogLockedException    if the directory is in use by another open log
     */
    public static EventLog open(EventLogOptions options, MeterRegistry registry, RecordHandler replay)
            throws IOException {
        return open(options, registry, replay, WriterHooks.NONE);
    }

    static EventLog open(EventLogOptions options, MeterRegistry registry, RecordHandler replay, WriterHooks hooks)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(replay, "replay");
        long started = System.nanoTime();
        Path dir = options.directory();
        if (!Files.isDirectory(dir)) {
            OwnerOnly.directory(dir);
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                SegmentFormat.fsyncDirectory(parent);
            }
        } else {
            OwnerOnly.directory(dir); // the log holds sealed personal data: no other user lists or reads it
            OwnerOnly.tightenFiles(dir);
        }
        FileChannel lockChannel = OwnerOnly.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = null;
        EventLog eventLog = null;
        try {
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new LogLockedException("event log directory " + dir.toAbsolutePath()
                        + " is locked: another process (or another EventLog in this one) is using it");
            }
            SegmentScanner.Result scan = new SegmentScanner().scan(dir, replay);
            if (scan.problem != null) {
                throw scan.toException();
            }
            String truncatedSegment = null;
            if (scan.tornSegment != null) {
                repairTornTail(dir, scan);
                truncatedSegment = scan.tornSegment.name();
            }
            RecoveryReport report = new RecoveryReport(scan.records, scan.lastSequence, scan.tornBytes,
                    truncatedSegment, Duration.ofNanos(System.nanoTime() - started));
            eventLog = new EventLog(options, registry, hooks, lockChannel, lock, scan, report);
            eventLog.openCurrentSegment(scan);
            log.info("event log {} opened: {} records, last sequence {}, recovery took {} ms", dir.toAbsolutePath(),
                    report.records(), report.lastSequence(), report.elapsed().toMillis());
            eventLog.writer.start();
            return eventLog;
        } catch (IOException | RuntimeException | Error e) {
            if (eventLog != null) {
                eventLog.closeQuietly(eventLog.channel);
                eventLog.registry.remove(eventLog.pendingGauge);
            }
            if (lock != null) {
                try {
                    lock.release();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            try {
                lockChannel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void repairTornTail(Path dir, SegmentScanner.Result scan) throws IOException {
        SegmentFormat.Segment seg = scan.tornSegment;
        try (FileChannel ch = FileChannel.open(seg.path(), StandardOpenOption.WRITE)) {
            if (scan.tornHeader) {
                ch.truncate(0);
                ByteBuffer header = ByteBuffer.wrap(SegmentFormat.header(seg.firstSequence()));
                while (header.hasRemaining()) {
                    ch.write(header, header.position());
                }
                scan.lastSegmentValidEnd = HEADER_BYTES;
            } else {
                ch.truncate(scan.tornOffset);
                scan.lastSegmentValidEnd = scan.tornOffset;
            }
            ch.force(true);
        }
        if (scan.tornHeader) {
            SegmentFormat.fsyncDirectory(dir);
        }
        log.warn("event log: torn tail in {} at offset {}: truncated {} bytes (crash residue, no durable record lost)",
                seg.name(), scan.tornOffset, scan.tornBytes);
    }

    private void openCurrentSegment(SegmentScanner.Result scan) throws IOException {
        if (scan.lastSegment == null) {
            createSegment(1);
            return;
        }
        segmentPath = scan.lastSegment.path();
        channel = FileChannel.open(segmentPath, StandardOpenOption.WRITE);
        segmentPosition = scan.lastSegmentValidEnd;
        segmentLength = channel.size(); // what lies past the records is zeroed room (the scan checked)
    }

    /**
     * Creates, fsyncs and switches to a new segment starting at {@code firstSequence}. The segment before it is
     * first cut to its records and that is made durable, so that only the last segment ever holds room ahead.
     */
    private void createSegment(long firstSequence) throws IOException {
        if (channel != null) {
            cutRoom();
        }
        Path path = directory.resolve(SegmentFormat.segmentName(firstSequence));
        FileChannel ch = OwnerOnly.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ByteBuffer header = ByteBuffer.wrap(SegmentFormat.header(firstSequence));
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            ch.force(true);
            SegmentFormat.fsyncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            try {
                Files.deleteIfExists(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        FileChannel old = channel;
        channel = ch;
        segmentPath = path;
        segmentPosition = HEADER_BYTES;
        segmentLength = HEADER_BYTES;
        if (old != null) {
            closeQuietly(old);
        }
        log.info("event log: started segment {}", path.getFileName());
    }

    /** {@link #append(int, byte[], AppendLane)} in the {@link AppendLane#IN_TURN} lane. */
    public CompletableFuture<LogRecord> append(int type, byte[] payload) {
        return append(type, payload, AppendLane.IN_TURN);
    }

    /**
     * Appends a record. The future completes (on the writer thread: hand off, never block in the callback) once
     * the record is fsync'd. It fails with {@link LogOverloadedException} at once if {@code maxPendingAppends}
     * are already waiting in its lane, with {@link LogWriteException} if the write/fsync failed (the record is not durable),
     * with {@link LogClosedException} after {@link #close}. Never blocks the caller.
     *
     * @param type    0..255
     * @param payload at most 65487 bytes (64 KiB body); copied
     * @param lane    which queue it waits in: {@link AppendLane#FIRST} overtakes records waiting in the other
     * @throws IllegalArgumentException if type or payload size is out of range
     */
    public CompletableFuture<LogRecord> append(int type, byte[] payload, AppendLane lane) {
        return append(type, payload, lane, null);
    }

    /**
     * {@link #append(int, byte[], AppendLane)}, and once the record is durable the writer runs {@code onDurable}
     * with it, in log order, before the future completes. This is the way to apply live records to state: a
     * continuation attached to the future runs on the caller's thread instead when the record was already durable
     * by the time it was attached (out of order, and beside the writer). It must be short and must not block; if
     * it throws, the failure is logged with its stack and the future still completes: the record is durable.
     */
    public CompletableFuture<LogRecord> append(int type, byte[] payload, AppendLane lane,
                                               Consumer<LogRecord> onDurable) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(lane, "lane");
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("type must be 0..255, got " + type);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the maximum of "
                    + MAX_PAYLOAD_BYTES + " (64 KiB record body)");
        }
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        IOException failed = failure;
        if (failed != null) {
            appendFailures.increment();
            return CompletableFuture.failedFuture(failedStateException(failed));
        }
        Pending pending = new Pending(type, payload.clone(), System.nanoTime(), onDurable, new CompletableFuture<>());
        ArrayBlockingQueue<Pending> queue = lane == AppendLane.FIRST ? first : inTurn;
        if (!queue.offer(pending)) {
            appendFailures.increment();
            return CompletableFuture.failedFuture(new LogOverloadedException("event log overloaded: "
                    + queue.remainingCapacity() + " free of " + (queue.size() + queue.remainingCapacity())
                    + " pending appends in the " + lane + " lane"));
        }
        work.release();
        // close() may have raced with the offer: if nobody took the record, take it back and fail it.
        if (closed && queue.remove(pending)) {
            pending.future.completeExceptionally(closedException());
        }
        return pending.future;
    }

    /** What {@link #open} found and repaired. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Sequence of the last durable record (0 for an empty log). */
    /**
     * For readiness: open, not in the failed state, and either the last batch was durable or the disk
     * has room again. The second half matters: a node reported not ready may get no traffic, so
     * waiting for the next successful write to say "ready" could wait for ever.
     */
    public boolean writable() {
        if (closed || failure != null) {
            return false;
        }
        if (!lastBatchFailed) {
            return true;
        }
        try {
            return Files.getFileStore(directory).getUsableSpace() >= ROOM_AGAIN_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    public long lastSequence() {
        return lastDurableSequence;
    }

    public Path directory() {
        return directory;
    }

    /** Completes everything already accepted, fsyncs, stops the writer and releases the lock. Idempotent. */
    @Override
    public void close() {
        closed = true;
        work.release();
        if (Thread.currentThread() == writer) {
            return; // called from a completion callback: the writer finishes up after this batch
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Read-only iteration of a log directory (no truncation, no lock needed), e.g. for {@code verify}, exports and
     * tests. Stops quietly at a torn tail (reported in {@link VerifyResult#tornTailBytes()}) or at the first bad
     * record (reported in {@link VerifyResult#problem()}).
     *
     * @throws NoSuchFileException if the directory does not exist
     */
    public static VerifyResult read(Path directory, RecordHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "event log directory does not exist");
        }
        return new SegmentScanner().scan(directory, handler).toVerifyResult();
    }

    // ---------------------------------------------------------------------------------------------- writer

    private void runWriter() {
        List<Pending> batch = new ArrayList<>(Math.min(maxBatch, 65_536));
        try {
            while (true) {
                if (first.isEmpty() && inTurn.isEmpty()) {
                    if (closed) {
                        break;
                    }
                    try {
                        work.tryAcquire(1, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        // only close() stops the writer; the flag is cleared so file I/O is not disturbed
                    }
                    continue;
                }
                work.drainPermits(); // what they stood for is taken below or seen non-empty next time round
                first.drainTo(batch, maxBatch);
                if (batch.isEmpty()) {
                    lingerForCompany(batch);
                }
                inTurn.drainTo(batch, Math.min(IN_TURN_PER_BATCH, maxBatch - batch.size()));
                try {
                    writeBatch(batch);
                } catch (Throwable t) { // never leave futures hanging, never let the writer die silently
                    enterFailedState(new IOException("unexpected error in event log writer", t));
                    fail(batch, failedStateException(failure));
                }
                batch.clear();
            }
        } finally {
            shutDownWriter();
        }
    }

    /** How often a lingering writer looks whether close() was called. */
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * Only {@link AppendLane#IN_TURN} records wait: none is a device's frame, so they may wait up to the linger for
     * records to share their fsync with. A {@link AppendLane#FIRST} record ends the wait at once (it joins the
     * batch, ahead of them as always), and so does a full cycle's worth of records in turn or close().
     */
    private void lingerForCompany(List<Pending> batch) {
        long deadline = System.nanoTime() + inTurnLingerNanos;
        long left = inTurnLingerNanos;
        while (left > 0 && !closed && inTurn.size() < IN_TURN_PER_BATCH) {
            Pending device;
            try {
                device = first.poll(Math.min(left, CLOSE_CHECK_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return; // nothing interrupts the writer (it would close the channel); if something does, write
            }
            if (device != null) {
                batch.add(device);
                first.drainTo(batch, maxBatch - 1);
                return;
            }
            left = deadline - System.nanoTime();
        }
    }

    private void writeBatch(List<Pending> batch) {
        IOException failed = failure;
        if (failed != null) {
            fail(batch, failedStateException(failed));
            return;
        }
        hooks.beforeBatch(batch.size());
        int n = batch.size();
        LogRecord[] records = new LogRecord[n];
        long sequence = lastSequence;
        byte[] prevHash = lastHash;
        long position = segmentPosition;
        try {
            Thread.interrupted(); // an interrupt would close the channel mid-write
            if (segmentPosition >= segmentBytes) {
                createSegment(lastSequence + 1);
                position = segmentPosition;
            }
            out.clear();
            for (int i = 0; i < n; i++) {
                Pending p = batch.get(i);
                sequence++;
                long timestamp = System.currentTimeMillis();
                int length = SegmentFormat.encodeRecord(scratch, 0, sequence, timestamp, p.type, prevHash,
                        p.payload, crc);
                sha.update(scratch, SegmentFormat.FRAME_HEADER_BYTES, length - SegmentFormat.FRAME_HEADER_BYTES);
                byte[] hash = sha.digest();
                if (out.remaining() < length) {
                    position += writeOut(position);
                }
                out.put(scratch, 0, length);
                records[i] = new LogRecord(sequence, timestamp, p.type, p.payload, hash);
                prevHash = hash;
            }
            position += writeOut(position);
            hooks.beforeForce();
            long t0 = System.nanoTime();
            channel.force(false);
            fsyncTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            writeFailureLog.error("event log: writing a batch of {} records to {} failed; failing them and truncating"
                    + " back to offset {}", n, segmentPath.getFileName(), segmentPosition, e);
            truncateAfterFailure(); // first, so the log is consistent when callers see the failure
            lastBatchFailed = true;
            fail(batch, new LogWriteException("event log write failed: " + e, e));
            return;
        }
        lastBatchFailed = false;
        segmentPosition = position;
        segmentLength = Math.max(segmentLength, position);
        lastSequence = sequence;
        lastHash = prevHash;
        lastDurableSequence = sequence;
        batchSize.record(n);
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            appendLatency.record(now - p.enqueuedNanos, TimeUnit.NANOSECONDS);
            if (p.onDurable != null) {
                try {
                    p.onDurable.accept(records[i]);
                } catch (RuntimeException e) {
                    log.error("event log: record {} is durable, but what was to follow it failed", records[i].sequence(), e);
                }
            }
            p.future.complete(records[i]);
        }
        makeRoomAhead();
    }

    /**
     * After a batch is answered: when less than {@link #ROOM_LOW_BYTES} of zeroed room is left, zeroes the next
     * {@link #ROOM_AHEAD_BYTES} and makes that durable now, so that no batch's fsync carries it. A failure only
     * costs the saving: the next batches extend the file as they write. What is left at a roll is cut there.
     */
    private void makeRoomAhead() {
        if (segmentLength - segmentPosition >= ROOM_LOW_BYTES || segmentPosition >= segmentBytes) {
            return; // enough room, or the next batch starts a new segment
        }
        long target = segmentPosition + ROOM_AHEAD_BYTES;
        try {
            Thread.interrupted(); // an interrupt would close the channel mid-write
            for (long at = segmentLength; at < target; ) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), target - at));
                at += channel.write(zeros, at);
            }
            channel.force(false);
            segmentLength = target;
        } catch (IOException e) {
            // Only zeros were written past the records, so the file is consistent whatever part of them landed.
            roomFailureLog.warn("event log: zeroing room ahead in {} failed; records extend the file instead",
                    segmentPath.getFileName(), e);
            try {
                segmentLength = channel.size();
            } catch (IOException unknown) {
                segmentLength = segmentPosition; // then the next batch writes as if at the end: still correct
            }
        }
    }

    /** Cuts the current segment back to its records (no room ahead) and makes that durable. */
    private void cutRoom() throws IOException {
        if (segmentLength > segmentPosition) {
            channel.truncate(segmentPosition);
            channel.force(true);
        }
        segmentLength = segmentPosition;
    }

    /** Writes {@link #out} at {@code position}; returns the bytes written and leaves the buffer cleared. */
    private int writeOut(long position) throws IOException {
        out.flip();
        int bytes = out.remaining();
        long at = position;
        while (out.hasRemaining()) {
            at += channel.write(out, at);
        }
        out.clear();
        return bytes;
    }

    private void truncateAfterFailure() {
        try {
            Thread.interrupted();
            hooks.beforeTruncate();
            if (!channel.isOpen()) {
                channel = FileChannel.open(segmentPath, StandardOpenOption.WRITE);
            }
            channel.truncate(segmentPosition);
            channel.force(false);
            segmentLength = segmentPosition;
        } catch (IOException | RuntimeException e) {
            enterFailedState(e instanceof IOException io ? io : new IOException(e));
        }
    }

    private void enterFailedState(IOException cause) {
        if (failure == null) {
            failure = cause;
            log.error("event log {} entered its failed state: every append will fail until restart",
                    directory.toAbsolutePath(), cause);
        }
    }

    private void fail(List<Pending> batch, IOException e) {
        appendFailures.increment(batch.size());
        for (Pending p : batch) {
            p.future.completeExceptionally(e);
        }
    }

    private void shutDownWriter() {
        // Only appends that raced with close() can be left; appenders that see the flag take theirs back.
        List<Pending> leftovers = new ArrayList<>();
        first.drainTo(leftovers);
        inTurn.drainTo(leftovers);
        for (Pending p : leftovers) {
            p.future.completeExceptionally(closedException());
        }
        try {
            if (channel.isOpen()) {
                channel.force(false);
                cutRoom(); // a closed log ends at its last record, as backups, exports and tools expect
            }
        } catch (IOException e) {
            log.warn("event log: final fsync or cutting the room ahead on close failed", e);
        }
        closeQuietly(channel);
        try {
            lock.release();
        } catch (IOException e) {
            log.warn("event log: releasing the lock failed", e);
        }
        closeQuietly(lockChannel);
        registry.remove(pendingGauge);
        log.info("event log {} closed at sequence {}", directory.toAbsolutePath(), lastDurableSequence);
    }

    private LogClosedException closedException() {
        return new LogClosedException("event log " + directory.toAbsolutePath() + " is closed");
    }

    private LogWriteException failedStateException(IOException cause) {
        return new LogWriteException("event log is in its failed state after an unrecoverable write error", cause);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            log.warn("event log: closing a file failed", e);
        }
    }

    private double pending() {
        return first.size() + inTurn.size();
    }

    /** Test hook: batches written so far. */
    long batchCount() {
        return batchSize.count();
    }
}
