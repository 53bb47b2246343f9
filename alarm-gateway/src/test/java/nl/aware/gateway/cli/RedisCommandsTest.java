package nl.aware.gateway.cli;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import nl.aware.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that write or check the log, on the shared log in a real redis-server. */
class RedisCommandsTest {
    @TempDir
    Path dir;
    private RedisServer redis;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    private int aware(String... args) {
        picocli.CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void carrierAndDeviceEnrolledIntoRedis_verifyThere_andATamperedLogFailsNamingTheRecord() {
        String data = dir.resolve("data").toString();
        String keys = dir.resolve("keys").toString();
        assertEquals(0, aware("ca", "init", "--data-dir", data), err::toString);
        assertEquals(0, aware("keys", "init", "--key-dir", keys), err::toString);
        assertEquals(0, aware("carrier", "register", "--key-dir", keys, "--data-dir", data, "--redis", redis.uri(),
                "--region", "twente", "--name", "Jolien de Vries", "--threat", "ex-partner", "--intake-done",
                "--lives-in-region", "--agrees-to-report", "--realistic-risk", "--no-contact"), err::toString);
        Matcher carrier = Pattern.compile("registered carrier ([0-9a-f-]{36})").matcher(out.toString());
        assertTrue(carrier.find(), out::toString);
        assertEquals(0, aware("device", "enroll", "--key-dir", keys, "--data-dir", data, "--redis", redis.uri(),
                "--id", "00000000000000a1", "--carrier", carrier.group(1), "--out", dir.resolve("device").toString()),
                err::toString);

        assertEquals(0, aware("log", "verify", "--redis", redis.uri()), err::toString);
        assertTrue(out.toString().contains("log intact: 3 records, last sequence 3"), out::toString);

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String second = connection.sync().xrange("aware:events", io.lettuce.core.Range.create("-", "+")).get(1).getId();
            connection.sync().xdel("aware:events", second);
        } finally {
            client.shutdown();
        }
        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "verify", "--redis", redis.uri()));
        assertTrue(err.toString().contains("log DAMAGED: first bad record 2 in aware:events: entry "), err::toString);
    }

    @Test
    void verifyOfAnUnreachableRedis_isAnEnvironmentError() throws Exception {
        int port = RedisServer.freePort();
        assertEquals(AwareCommand.ENVIRONMENT, aware("log", "verify", "--redis", "redis://127.0.0.1:" + port));
        assertTrue(err.toString().contains("cannot read the log from Redis"), err::toString);
    }

    @Test
    void aBadRedisUri_isAUsageError() {
        assertEquals(2, aware("log", "verify", "--redis", "http://127.0.0.1:6379"));
        assertTrue(err.toString().contains("Redis URI must start with redis://"), err::toString);
    }
}
