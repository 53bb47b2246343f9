package nl.aware.gateway.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.records.checkpoint.CheckpointPolicy;
import nl.aware.redis.RedisStoreOptions;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.gateway.AwareServer;
import nl.aware.dispatch.DispatchConfigFile;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.OperationsEndpoint;
import nl.aware.gateway.ServerSetup;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.gateway.KeyFileCheck;
import nl.aware.http.TrustedProxy;
import nl.aware.web.console.ConsoleSettings;
import nl.aware.web.staff.StaffApiSettings;
import nl.aware.monitoring.supervision.SupervisionSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the gateway: recover the event log, then accept devices until stopped (SIGTERM/Ctrl-C).")
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Deployment deployment;

    @Option(names = "--dispatch", required = true, paramLabel = "FILE",
            description = "Dispatch configuration (properties): police endpoints per region, Kadera's route, TLS material. "
                    + "See docs/operations.md.")
    Path dispatchConfig;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "7443", description = "TCP port for devices, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--idle-timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "Close a connection silent this long, e.g. 5m or 180s (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--port-file", paramLabel = "FILE",
            description = "Write the bound port here once the server accepts devices (for scripts and tests).")
    Path portFile;

    @Option(names = "--metrics-bind", defaultValue = "127.0.0.1",
            description = "Address of the operations port: /metrics, /health/live, /health/ready (default: ${DEFAULT-VALUE}).")
    InetAddress metricsBind;

    @Option(names = "--metrics-port", defaultValue = "9464",
            description = "Operations port, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--heartbeat-interval", defaultValue = "5m", converter = DurationConverter.class,
            description = "How often devices heartbeat (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--missed-heartbeats", defaultValue = "3",
            description = "Missed heartbeats before a device is reported offline to Kadera (default: ${DEFAULT-VALUE}).")
    int missedHeartbeats;

    // Staff API (docs/staff-api.md): on by default, loopback only.
    @Option(names = "--staff-bind", defaultValue = "127.0.0.1",
            description = "Address of the staff API (HTTPS); loopback unless staff reach it over a management network "
                    + "(default: ${DEFAULT-VALUE}).")
    InetAddress staffBind;

    @Option(names = "--staff-port", defaultValue = "9443",
            description = "Staff API port, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int staffPort;

    @Option(names = "--console-tiles", paramLabel = "URL",
            description = "The staff console's map tiles, an https URL with {z}, {x} and {y} (default: PDOK "
                    + "BRT-Achtergrondkaart). Without tiles the track is drawn on a plain background with a scale bar.")
    String consoleTiles;

    @Option(names = "--no-staff-api", description = "Run without the staff API.")
    boolean noStaffApi;

    @Option(names = "--staff-idle-timeout", defaultValue = "15m", converter = DurationConverter.class,
            description = "A staff session unused this long ends (default: ${DEFAULT-VALUE}).")
    Duration staffIdleTimeout;

    @Option(names = "--staff-session-lifetime", defaultValue = "8h", converter = DurationConverter.class,
            description = "A staff session ends this long after login, however busy (default: ${DEFAULT-VALUE}).")
    Duration staffSessionLifetime;

    @Option(names = "--staff-max-connections", defaultValue = "256",
            description = "Connections the staff API keeps open at once; more are refused at accept (default: ${DEFAULT-VALUE}).")
    int staffMaxConnections;

    @Option(names = "--staff-request-deadline", defaultValue = "10s", converter = DurationConverter.class,
            description = "A staff request's headers and body must arrive within this, from its first byte "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration staffRequestDeadline;

    @Option(names = "--staff-trusted-proxy", paramLabel = "ADDRESS",
            description = "The reverse proxy (a literal IP address) in front of the staff API: its X-Forwarded-For names "
                    + "the client in the access trail and the login throttle. From any other peer the header is ignored.")
    String staffTrustedProxy;
    @Option(names = "--checkpoint-every-records", defaultValue = "10000",
            description = "Sign a checkpoint into the log after this many records (default: ${DEFAULT-VALUE}).")
    long checkpointEveryRecords;

    @Option(names = "--checkpoint-interval", defaultValue = "5m", converter = DurationConverter.class,
            description = "... or this long after the last one if anything was written since (default: ${DEFAULT-VALUE}). "
                    + "A clean shutdown always signs one.")
    Duration checkpointInterval;

    @Option(names = "--location-retention", paramLabel = "PERIOD",
            description = "Purge locations (device frames) received longer ago than this, e.g. P90D, daily: the keys of "
                    + "expired months are destroyed; alerts under legal hold keep theirs (docs/retention.md). "
                    + "Default: keep.")
    java.time.Period locationRetention;

    @Mixin
    RedisOption redis;

    @Option(names = "--redis-durability", defaultValue = "aof", paramLabel = "MODE",
            description = "When Redis holds an event durably: 'aof' (appendonly yes + appendfsync always, checked at "
                    + "start-up) or 'wait:REPLICAS:TIMEOUT_MS' (default: ${DEFAULT-VALUE}).")
    String redisDurability;

    @Option(names = "--redis-claim-after", defaultValue = "5s", converter = DurationConverter.class,
            description = "Dispatch work of a worker silent this long is taken over by another (default: ${DEFAULT-VALUE}).")
    Duration redisClaimAfter;

    @Option(names = "--redis-fallback-log", paramLabel = "DIR",
            description = "This node's own local log for degraded mode: while Redis is unreachable or slower than "
                    + "--redis-timeout, events are kept here and their work dispatched by this node, then reconciled. "
                    + "Default: DATA_DIR/redis-fallback. One directory per node.")
    Path redisFallbackLog;

    @Option(names = "--redis-timeout", defaultValue = "1s", converter = DurationConverter.class,
            description = "A Redis command slower than this counts as Redis away (default: ${DEFAULT-VALUE}).")
    Duration redisTimeout;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config;
        SupervisionSettings supervision;
        StaffApiSettings staffApi;
        CheckpointPolicy checkpoints;
        RedisStoreOptions redisOptions = null;
        try {
            staffApi = noStaffApi ? null
                    : new StaffApiSettings(staffBind, staffPort, staffIdleTimeout, staffSessionLifetime,
                    staffMaxConnections, staffRequestDeadline,
                    staffTrustedProxy == null ? TrustedProxy.none() : trustedProxy(staffTrustedProxy),
                    consoleTiles == null ? ConsoleSettings.DEFAULTS : new ConsoleSettings(consoleTiles, ""));
            checkpoints = new CheckpointPolicy(checkpointEveryRecords, checkpointInterval);
            if (locationRetention != null && (locationRetention.isNegative() || locationRetention.isZero())) {
                throw new IllegalArgumentException("--location-retention must be a positive period, was " + locationRetention);
            }
            if (redis.options() != null) {
                redisOptions = redis.options()
                        .withDurability(RedisStoreOptions.Durability.parse(redisDurability))
                        .withClaimAfter(redisClaimAfter).withTimeout(redisTimeout)
                        .withFallbackLog(redisFallbackLog != null ? redisFallbackLog
                                : deployment.data().root().resolve("redis-fallback"));
            }
            config = GatewayConfig.defaults().withPort(bind, port).withIdleTimeout(idleTimeout);
            supervision = new SupervisionSettings(heartbeatInterval, missedHeartbeats, Duration.ofSeconds(1));
            if (metricsPort < 0 || metricsPort > 65535) {
                throw new IllegalArgumentException("--metrics-port must be 0..65535, was " + metricsPort);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        DispatchConfig dispatch = DispatchConfigFile.load(dispatchConfig);
        DataKeyRing dataKeys = deployment.keys();
        KeyFileCheck.warnIfOpenToOthers(deployment.data(), dataKeys);
        ServerSetup setup = new ServerSetup(deployment.data(), dataKeys, config, dispatch, null, supervision)
                .withRecordKeeping(checkpoints, locationRetention).withStaffApi(staffApi).withRedis(redisOptions);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AwareServer server = AwareServer.start(setup, registry, Clock.systemUTC());
        OperationsEndpoint operations;
        try {
            operations = OperationsEndpoint.start(server, registry, deployment.data(), dispatch, metricsBind, metricsPort);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            operations.close();
            stopped.countDown();
        }, "aware-shutdown"));
        if (portFile != null) {
            Path temporary = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(temporary, Integer.toString(server.address().getPort()));
            Files.move(temporary, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        stopped.await();
        return 0;
    }

    private static TrustedProxy trustedProxy(String address) {
        try {
            return TrustedProxy.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--staff-trusted-proxy: " + e.getMessage());
        }
    }
}
