package nl.aware.gateway.testing;

import nl.aware.gateway.cli.AwareCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** The server as a real operating-system process (`aware server`), so that it can be killed with kill -9. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path output;

    private ServerProcess(Process process, int port, Path output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** What the process wrote (its log), so far. */
    public String output() throws IOException {
        return Files.readString(output);
    }

    /** Starts {@code aware server} on the test deployment's data and keys (staff API on a free port). */
    public static ServerProcess start(TestServer deployment, Path dispatchConfig, Path workDir) throws IOException {
        return start(deployment, dispatchConfig, workDir, List.of());
    }

    /**
     * With more options for {@code aware server}, e.g. {@code --redis URI} for a node of a Redis deployment.
     * The staff API and the operations port get free ports unless the options name them: several servers run
     * side by side.
     */
    public static ServerProcess start(TestServer deployment, Path dispatchConfig, Path workDir, List<String> options)
            throws IOException {
        Path dataDir = deployment.data().root();
        Path keyDir = deployment.keys().directory();
        Path portFile = workDir.resolve("port-" + System.nanoTime());
        Path output = workDir.resolve("server-" + System.nanoTime() + ".out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), AwareCommand.class.getName(), "server", "--data-dir",
                dataDir.toString(), "--key-dir", keyDir.toString(), "--dispatch", dispatchConfig.toString(), "--bind",
                "127.0.0.1", "--port", "0", "--port-file", portFile.toString()));
        if (!options.contains("--staff-port")) {
            command.addAll(List.of("--staff-port", "0"));
        }
        if (!options.contains("--metrics-port")) {
            // not the default 9464: a test run beside another (or another build) would find it taken
            command.addAll(List.of("--metrics-port", "0"));
        }
        command.addAll(options);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await("server process listening (output in " + output + ")").atMost(Duration.ofSeconds(90))
                    .until(() -> Files.exists(portFile) || !process.isAlive());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("server process exited with " + process.exitValue() + ": "
                    + Files.readString(output));
        }
        return new ServerProcess(process, Integer.parseInt(Files.readString(portFile).trim()), output);
    }

    public java.net.InetSocketAddress address() {
        return new java.net.InetSocketAddress("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void killDashNine() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -9 " + process.pid() + " failed");
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, the orderly stop; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not stop within 20 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
