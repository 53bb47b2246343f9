package nl.aware.gateway.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.records.checkpoint.CheckpointPolicy;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.pki.Pem;
import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.web.staff.StaffApiSettings;
import nl.aware.monitoring.supervision.SupervisionSettings;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.PkiSetup;
import nl.aware.gateway.ServerSetup;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A real server on a loopback port with a real PKI made by the project's own CA code, in a
 * temporary data directory. For tests only.
 */
public final class TestServer implements AutoCloseable {
    private final DataDirectory data;
    private final DataKeyRing keys;
    private final CertificateAuthority ca;
    private GatewayConfig config;
    private ServerSetup setup;
    private AwareServer server;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private SupervisionSettings supervision = SupervisionSettings.DEFAULTS;
    private StaffApiSettings staffApi;
    private Clock clock = Clock.systemUTC();
    private CheckpointPolicy checkpoints = CheckpointPolicy.DEFAULTS;
    private java.time.Period locationRetention;

    private TestServer(DataDirectory data, DataKeyRing keys, CertificateAuthority ca, GatewayConfig config) {
        this.data = data;
        this.keys = keys;
        this.ca = ca;
        this.config = config;
    }

    /** A gateway without dispatch, started. */
    public static TestServer start(Path directory) throws Exception {
        return create(directory).start();
    }

    /**
     * A deployment in {@code directory}, not started yet (tests start receivers with its CA first):
     * the data directory in {@code directory/data}, the data keys apart in {@code directory/keys}.
     */
    public static TestServer create(Path directory) throws Exception {
        DataDirectory data = new DataDirectory(directory.resolve("data"));
        CertificateAuthority ca = PkiSetup.initialize(data, "Test", List.of("localhost"), List.of("127.0.0.1"));
        DataKeyRing keys = DataKeyRing.create(directory.resolve("keys"));
        return new TestServer(data, keys, ca, GatewayConfig.defaults().withPort("127.0.0.1", 0));
    }

    public TestServer start() throws Exception {
        return start(new ServerSetup(data, keys, config, null, CarrierDirectory.none(), supervision, checkpoints,
                locationRetention, null, null));
    }

    /** A gateway without dispatch on the shared Redis log (e.g. to enrol the devices of a multi-node test). */
    public TestServer startOnRedis(nl.aware.redis.RedisStoreOptions redis) throws Exception {
        return start(new ServerSetup(data, keys, config, null, CarrierDirectory.none(), supervision, checkpoints,
                locationRetention, staffApi, redis));
    }

    /** Starts with dispatch to the given receivers. */
    public TestServer start(DispatchConfig dispatch, CarrierDirectory carriers) throws Exception {
        return start(new ServerSetup(data, keys, config, dispatch, carriers, supervision, checkpoints,
                locationRetention, null, null));
    }

    /** Before start: other gateway settings (the port stays a free loopback one). */
    public TestServer gateway(GatewayConfig gateway) {
        this.config = gateway.withPort("127.0.0.1", 0);
        return this;
    }

    /** Before start: meters go to this registry (e.g. Prometheus, to scrape). */
    public TestServer meters(MeterRegistry meters) {
        this.registry = meters;
        return this;
    }

    /** Before start: device supervision with these settings. */
    public TestServer supervision(SupervisionSettings settings) {
        this.supervision = settings;
        return this;
    }

    /** Before start: run the staff API with these settings (use port 0). */
    public TestServer staffApi(StaffApiSettings settings) {
        this.staffApi = settings;
        return this;
    }

    /** Before start: the server's clock (e.g. a test clock, to expire sessions). */
    public TestServer clock(Clock serverClock) {
        this.clock = serverClock;
        return this;
    }

    /** Before start: when the server signs checkpoints. */
    public TestServer checkpoints(CheckpointPolicy policy) {
        this.checkpoints = policy;
        return this;
    }

    /** Before start: the server purges locations older than this (at start, then daily). */
    public TestServer locationRetention(java.time.Period retention) {
        this.locationRetention = retention;
        return this;
    }

    /** What the log holds now, read and decrypted the way an auditor would. */
    public LogContents log() {
        return LogContents.read(data.log(), keys);
    }

    public DataKeyRing keys() {
        return keys;
    }

    private TestServer start(ServerSetup serverSetup) throws Exception {
        this.setup = serverSetup.withStaffApi(staffApi);
        this.server = AwareServer.start(setup, registry, clock);
        return this;
    }

    /** Issues a certificate for the device and enrols it in IJsselland on the running server. */
    public IssuedCredential enroll(long deviceId) {
        return enroll(deviceId, Region.IJSSELLAND);
    }

    public IssuedCredential enroll(long deviceId, Region region) {
        IssuedCredential credential = ca.issueDevice(deviceId, PkiSetup.DEVICE_VALIDITY);
        server.enroll(deviceId, region, credential.certificate()).join();
        return credential;
    }

    public TestDevice connect(long deviceId, IssuedCredential credential) throws Exception {
        return TestDevice.connect(server.address(), deviceId, credential, ca.certificate());
    }

    /** Stops the server cleanly and starts it again on the same data directory (a new port). */
    public void restart() throws Exception {
        server.close();
        server = AwareServer.start(setup, registry, clock);
    }

    public AwareServer server() {
        return server;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public DataDirectory data() {
        return data;
    }

    public Path caCertificateFile() {
        return data.caCertificate();
    }

    public String caPem() {
        return Pem.encode(ca.certificate());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
