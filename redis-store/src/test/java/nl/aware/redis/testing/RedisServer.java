package nl.aware.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process for tests: on a free loopback port, its data in a test directory,
 * AOF with {@code appendfsync always} unless told otherwise. Stopped by its pid ({@link #killDashNine},
 * {@link #close}); {@link #restart} starts it again on the same port and directory.
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final Path directory;
    private final int port;
    private final List<String> settings;
    private final boolean sentinel;
    private Process process;

    private RedisServer(Path binary, Path directory, int port, List<String> settings, boolean sentinel) {
        this.binary = binary;
        this.directory = directory;
        this.port = port;
        this.settings = settings;
        this.sentinel = sentinel;
    }

    /** AOF, fsync before every reply: the durability the Redis store requires by default. */
    public static RedisServer start(Path directory) throws IOException, InterruptedException {
        return start(directory, "--appendonly", "yes", "--appendfsync", "always");
    }

    /** With these settings (e.g. {@code --appendonly no}) instead of the default AOF ones. */
    public static RedisServer start(Path directory, String... settings) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        RedisServer server = new RedisServer(binary("redis-server"), directory, freePort(), List.of(settings), false);
        server.launch();
        return server;
    }

    /** A replica of {@code primary}, with the same AOF durability; returns once its link to the primary is up. */
    public static RedisServer replicaOf(RedisServer primary, Path directory) throws IOException, InterruptedException {
        RedisServer replica = start(directory, "--appendonly", "yes", "--appendfsync", "always", "--replicaof",
                "127.0.0.1", Integer.toString(primary.port()));
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(replica.uri());
        try (var connection = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!connection.sync().info("replication").contains("master_link_status:up")) {
                if (System.nanoTime() > deadline) {
                    replica.close();
                    throw new IllegalStateException("replica on port " + replica.port() + " did not sync within 20 s");
                }
                Thread.sleep(50);
            }
        } finally {
            client.shutdown();
        }
        return replica;
    }

    /**
     * A Sentinel (redis-server in sentinel mode) watching {@code primary} as master {@code name}, quorum 1,
     * declaring it down after half a second so that tests fail over quickly.
     */
    public static RedisServer sentinel(Path directory, RedisServer primary, String name)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("sentinel.conf"), "sentinel monitor " + name + " 127.0.0.1 " + primary.port()
                + " 1\nsentinel down-after-milliseconds " + name + " 500\nsentinel failover-timeout " + name
                + " 5000\n");
        RedisServer server = new RedisServer(binary("redis-server"), directory, freePort(), List.of(), true);
        server.launch();
        return server;
    }

    /** The binary on PATH (or /usr/bin, /usr/local/bin), or a failure that says which package to install. */
    public static Path binary(String name) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(Path.of("/usr/bin", name));
        candidates.add(Path.of("/usr/local/bin", name));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found on PATH: these tests run a real Redis. Install Debian's"
                + " package: apt-get install redis-server (.ci/run does this)");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        if (sentinel) {
            command.addAll(List.of(directory.resolve("sentinel.conf").toString(), "--sentinel"));
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port), "--dir", directory.toString(),
                "--daemonize", "no"));
        if (!sentinel) {
            command.addAll(List.of("--save", ""));
        }
        command.addAll(settings);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("redis.out")));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int n = in.readNBytes(answer, 0, 7);
            return n == 7 && new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public Path directory() {
        return directory;
    }

    /** SIGKILL by pid: no shutdown, no final fsync. */
    public void killDashNine() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -9 " + process.pid() + " failed");
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port and directory (it loads its AOF). */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server still running");
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
