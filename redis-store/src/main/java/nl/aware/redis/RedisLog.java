package nl.aware.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.RecordChain;
import nl.aware.core.log.RecordHandler;
import nl.aware.core.log.VerifyResult;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The event log as Redis holds it: reading it in order with the same checks the embedded log makes
 * (sequence continuity from 1, the hash chain), for start-up replay, for following it live, and for
 * {@code aware log verify --redis}.
 */
public final class RedisLog {
    private static final int PAGE = 1000;

    private RedisLog() {
    }

    /** Where a reader of the stream stands: the last entry read and the chain up to it. */
    public static final class Cursor {
        private String lastId = "0-0";
        private long lastSequence;
        private byte[] lastHash = RecordChain.GENESIS;
        private long records;

        public String lastId() {
            return lastId;
        }

        public long lastSequence() {
            return lastSequence;
        }

        public byte[] lastHash() {
            return lastHash.clone();
        }

        public long records() {
            return records;
        }

        /** The record in {@code entry}, checked against the chain so far; moves the cursor past it. */
        public LogRecord advance(StreamMessage<byte[], byte[]> entry) throws BadRecord {
            LogRecord record = parse(entry);
            if (record.sequence() != lastSequence + 1) {
                throw new BadRecord(entry.getId(), lastSequence + 1, "sequence " + record.sequence()
                        + " where " + (lastSequence + 1) + " was expected (a record was removed or reordered)");
            }
            byte[] expected = RecordChain.hash(record.sequence(), record.timestampMs(), record.type(), lastHash,
                    record.payload());
            if (!Arrays.equals(expected, record.hash())) {
                throw new BadRecord(entry.getId(), record.sequence(),
                        "hash chain broken: the record or its predecessor was altered");
            }
            lastId = entry.getId();
            lastSequence = record.sequence();
            lastHash = record.hash();
            records++;
            return record;
        }
    }

    /** A stream entry that is not the next sound record of the log. */
    public static final class BadRecord extends Exception {
        private final String entryId;
        private final long sequence;

        BadRecord(String entryId, long sequence, String description) {
            super(description);
            this.entryId = entryId;
            this.sequence = sequence;
        }

        public String entryId() {
            return entryId;
        }

        public long sequence() {
            return sequence;
        }
    }

    /** Reads the entries after the cursor, in pages, into {@code handler}, until the end of the stream. */
    public static void readFrom(RedisCommands<byte[], byte[]> redis, RedisKeys keys, Cursor cursor,
                                RecordHandler handler) throws BadRecord {
        while (true) {
            List<StreamMessage<byte[], byte[]>> page = redis.xrange(keys.events(),
                    Range.from(Range.Boundary.excluding(cursor.lastId()), Range.Boundary.<String>unbounded()),
                    Limit.from(PAGE));
            for (StreamMessage<byte[], byte[]> entry : page) {
                handler.onRecord(cursor.advance(entry));
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    /**
     * Checks the whole Redis-held log read-only. The problem, when there is one, names the stream (as the
     * "segment"), the entry id in its description, and the sequence the bad record should have had.
     *
     * @throws StoreUnavailableException when Redis cannot be reached or read (callers need not know Lettuce)
     */
    public static VerifyResult verify(String uri, String prefix) throws StoreUnavailableException {
        RedisKeys keys = new RedisKeys(prefix);
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            Cursor cursor = new Cursor();
            try {
                readFrom(connection.sync(), keys, cursor, record -> { });
                return new VerifyResult(true, cursor.records(), cursor.lastSequence(), 0, null);
            } catch (BadRecord bad) {
                return new VerifyResult(false, cursor.records(), cursor.lastSequence(), 0,
                        new VerifyResult.Problem(prefix + "events", -1, bad.sequence(),
                                "entry " + bad.entryId() + ": " + bad.getMessage()));
            }
        } catch (RedisException e) {
            throw new StoreUnavailableException("cannot read the log from Redis: " + e.getMessage(), e);
        } finally {
            client.shutdown();
        }
    }

    static LogRecord parse(StreamMessage<byte[], byte[]> entry) throws BadRecord {
        byte[] seq = null;
        byte[] ts = null;
        byte[] type = null;
        byte[] payload = null;
        byte[] hash = null;
        for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
            switch (RedisKeys.text(field.getKey())) {
                case "seq" -> seq = field.getValue();
                case "ts" -> ts = field.getValue();
                case "type" -> type = field.getValue();
                case "payload" -> payload = field.getValue();
                case "hash" -> hash = field.getValue();
                default -> throw new BadRecord(entry.getId(), -1, "unknown field " + RedisKeys.text(field.getKey()));
            }
        }
        if (seq == null || ts == null || type == null || payload == null || hash == null) {
            throw new BadRecord(entry.getId(), -1, "a field of seq, ts, type, payload, hash is missing");
        }
        try {
            return new LogRecord(Long.parseLong(RedisKeys.text(seq)), Long.parseLong(RedisKeys.text(ts)),
                    Integer.parseInt(RedisKeys.text(type)), payload, hash);
        } catch (IllegalArgumentException e) {
            throw new BadRecord(entry.getId(), -1, "malformed record: " + e.getMessage());
        }
    }
}
