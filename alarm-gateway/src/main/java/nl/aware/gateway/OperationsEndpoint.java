package nl.aware.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.monitoring.MetricsServer;
import nl.aware.monitoring.metrics.CertificateExpiryMetrics;
import nl.aware.monitoring.metrics.MeterBinders;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operators' HTTP port beside a running server: {@code /metrics} for Prometheus, {@code /health/live}
 * and {@code /health/ready}, with JVM, Netty and certificate-expiry meters bound to the server's registry.
 */
public final class OperationsEndpoint implements AutoCloseable {
    private final MeterBinders binders;
    private final MetricsServer http;

    private OperationsEndpoint(MeterBinders binders, MetricsServer http) {
        this.binders = binders;
        this.http = http;
    }

    public static OperationsEndpoint start(AwareServer server, PrometheusMeterRegistry registry, DataDirectory data,
                                           DispatchConfig dispatch, InetAddress bind, int port)
            throws ConfigurationException, IOException {
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        try {
            certificates.put("gateway-server", Pem.readCertificate(data.serverCertificate()));
            certificates.put("device-ca", Pem.readCertificate(data.caCertificate()));
        } catch (PkiException e) {
            throw new ConfigurationException("cannot read the certificates to watch: " + e.getMessage(), e);
        }
        if (dispatch != null) {
            certificates.put("dispatch-client", dispatch.clientChain()[0]);
        }
        CertificateExpiryMetrics.of(certificates, Clock.systemUTC()).bindTo(registry);
        MeterBinders binders = MeterBinders.bindTo(registry);
        try {
            return new OperationsEndpoint(binders, MetricsServer.start(bind, port, registry, server.healthChecks()));
        } catch (IOException | RuntimeException e) {
            binders.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return http.address();
    }

    @Override
    public void close() {
        http.close();
        binders.close();
    }
}
