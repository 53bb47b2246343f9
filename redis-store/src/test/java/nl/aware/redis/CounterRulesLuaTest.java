package nl.aware.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import nl.aware.core.state.CounterRuleCases;
import nl.aware.core.state.CounterRules;
import nl.aware.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shared table of counter cases (alarm-core's {@code CounterRuleCases}) against the Redis-side twin of
 * the rules, {@code append.lua}, on a real redis-server: each case's history is appended through the script,
 * then the probe's answer is read ('ok' = fresh and appended, a verdict of 'replay' or the original id).
 */
class CounterRulesLuaTest {
    @TempDir
    static Path dir;
    static RedisServer redis;
    static RedisClient client;
    static StatefulRedisConnection<byte[], byte[]> connection;
    private static String script;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        client = RedisClient.create(redis.uri());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        try (InputStream in = RedisStore.class.getResourceAsStream("append.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        redis.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheSharedTable_getsItsVerdictFromAppendLua() {
        return CounterRuleCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Log log = new Log("rules-" + UUID.randomUUID() + ":");
            for (CounterRuleCases.Sent sent : c.accepted()) {
                assertEquals("ok", log.append(sent).get(0), "history: " + sent);
            }
            assertEquals(c.expected(), verdict(log.append(c.probe())));
        }));
    }

    private static CounterRules.Verdict verdict(List<String> answer) {
        if (answer.get(0).equals("ok")) {
            return CounterRules.Verdict.FRESH;
        }
        assertEquals("verdicts", answer.get(0), "the script's answer: " + answer);
        String verdict = answer.get(1);
        if (verdict.equals("replay")) {
            return CounterRules.Verdict.REPLAY;
        }
        UUID.fromString(verdict); // the original event id of a retransmission
        return CounterRules.Verdict.RETRANSMISSION;
    }

    /** One device's frames appended to a fresh log under its own key prefix, as RedisStore calls the script. */
    private static final class Log {
        private final String prefix;
        private long sequence;
        private byte[] headHash = new byte[0];

        Log(String prefix) {
            this.prefix = prefix;
        }

        List<String> append(CounterRuleCases.Sent sent) throws IOException {
            byte[] hash = (prefix + (sequence + 1)).getBytes(StandardCharsets.UTF_8);
            byte[][] keys = {bytes(prefix + "events"), bytes(prefix + "head")};
            byte[][] args = {bytes(prefix), bytes(Long.toString(sequence)), headHash, bytes("1"),
                    bytes("1"), bytes("0"), new byte[] {1}, hash,
                    bytes("00000000000000a1:epoch-1"), bytes(String.format("%016x", sent.counter())), sent.digest(),
                    bytes(UUID.randomUUID().toString()), new byte[0], new byte[0]};
            List<Object> reply = connection.sync().eval(script, ScriptOutputType.MULTI, keys, args);
            List<String> answer = new ArrayList<>();
            for (Object part : reply) {
                answer.add(new String((byte[]) part, StandardCharsets.UTF_8));
            }
            if (answer.get(0).equals("ok")) {
                sequence++;
                headHash = hash;
            }
            return answer;
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
