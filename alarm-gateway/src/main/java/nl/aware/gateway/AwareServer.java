package nl.aware.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.event.Region;
import nl.aware.core.intake.Intake;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.RecoveryReport;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.core.state.ServerState;
import nl.aware.gateway.netty.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * One running server: the event log replayed into the projections, the intake, the device gateway.
 * Start-up order is the durability order: nothing listens before the log is recovered.
 */
public final class AwareServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AwareServer.class);

    private final EventLog eventLog;
    private final ServerState state;
    private final Intake intake;
    private final DeviceGateway gateway;

    private AwareServer(EventLog eventLog, ServerState state, Intake intake, DeviceGateway gateway) {
        this.eventLog = eventLog;
        this.state = state;
        this.intake = intake;
        this.gateway = gateway;
    }

    public static AwareServer start(DataDirectory data, GatewayConfig config, MeterRegistry registry, Clock clock)
            throws ConfigurationException, IOException, InterruptedException {
        data.requirePki();
        SslContext tls = serverTls(data);
        ServerState state = new ServerState();
        EventLog eventLog = openLog(data, registry, state);
        try {
            Intake intake = new Intake(eventLog, state, clock);
            DeviceGateway gateway = new DeviceGateway(config, tls, state.devices(), intake,
                    new GatewayMetrics(registry), clock);
            RecoveryReport recovery = eventLog.recovery();
            log.info("AWARE gateway listening on {} ({} TLS); log replayed: {} records in {} ms, {} devices, {} open alarms",
                    gateway.address(), TlsContexts.provider(), recovery.records(), recovery.elapsed().toMillis(),
                    state.devices().size(), state.openAlarms().size());
            return new AwareServer(eventLog, state, intake, gateway);
        } catch (RuntimeException | InterruptedException e) {
            eventLog.close();
            throw e;
        }
    }

    /** Opens the log and replays it into {@code state}. A record that is not a valid event stops start-up. */
    public static EventLog openLog(DataDirectory data, MeterRegistry registry, ServerState state) throws IOException {
        try {
            return EventLog.open(EventLogOptions.defaults(data.log()), registry, record -> state.apply(record, decode(record)));
        } catch (UndecodableRecord e) {
            throw new IOException(e.getCause().getMessage() + " in " + data.log(), e.getCause());
        }
    }

    private static SslContext serverTls(DataDirectory data) throws ConfigurationException {
        try {
            X509Certificate ca = Pem.readCertificate(data.caCertificate());
            return TlsContexts.server(Pem.readPrivateKey(data.serverKey()), Pem.readCertificate(data.serverCertificate()),
                    ca, ca);
        } catch (PkiException | SSLException e) {
            throw new ConfigurationException("cannot set up TLS from " + data.pki() + ": " + e.getMessage(), e);
        }
    }

    private static Event decode(LogRecord record) {
        try {
            return EventCodec.decode(record);
        } catch (EventFormatException e) {
            throw new UndecodableRecord(e);
        }
    }

    /** Enrols (or re-enrols) a device while the server runs; durable when the future completes. */
    public CompletableFuture<LogRecord> enroll(long deviceId, Region region, X509Certificate certificate) {
        try {
            return intake.record(new Event.DeviceEnrolled(deviceId, region, certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Revokes a device while the server runs; its next frame is refused with NACK 3. */
    public CompletableFuture<LogRecord> revoke(long deviceId, String reason) {
        return intake.record(new Event.DeviceRevoked(deviceId, reason));
    }

    public InetSocketAddress address() {
        return gateway.address();
    }

    public ServerState state() {
        return state;
    }

    public EventLog eventLog() {
        return eventLog;
    }

    /** Stops accepting, then lets the log finish every append it accepted. */
    @Override
    public void close() {
        gateway.close();
        eventLog.close();
        log.info("AWARE gateway stopped; event log closed at sequence {}", eventLog.lastSequence());
    }

    private static final class UndecodableRecord extends RuntimeException {
        UndecodableRecord(EventFormatException cause) {
            super(cause);
        }
    }
}
