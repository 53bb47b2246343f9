package nl.aware.monitoring.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import nl.aware.core.pki.CertificateExpiry;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Seconds until each named server-side certificate expires (negative once expired): the server's TLS
 * certificate, the device CA, the police client certificates. Names are a fixed, operator-chosen list
 * ({@code gateway-server}, {@code device-ca}, {@code dispatch-client}: docs/monitoring.md lists them); never one per device.
 *
 * <p>Each certificate is given as a supplier, read at every scrape, so a renewed certificate shows.
 */
public final class CertificateExpiryMetrics implements MeterBinder {
    public static final String EXPIRY = "aware.tls.certificate.expiry.seconds";

    private final Map<String, Supplier<X509Certificate>> certificates;
    private final Clock clock;

    public CertificateExpiryMetrics(Map<String, Supplier<X509Certificate>> certificates, Clock clock) {
        this.certificates = new LinkedHashMap<>(certificates);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** For certificates that do not change while the process runs. */
    public static CertificateExpiryMetrics of(Map<String, X509Certificate> certificates, Clock clock) {
        Map<String, Supplier<X509Certificate>> suppliers = new LinkedHashMap<>();
        certificates.forEach((name, certificate) -> suppliers.put(name, () -> certificate));
        return new CertificateExpiryMetrics(suppliers, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        certificates.forEach((name, certificate) -> Gauge.builder(EXPIRY, () -> secondsLeft(certificate.get()))
                .baseUnit("seconds")
                .description("Seconds until the named certificate expires; negative once it has")
                .tag("certificate", name)
                .register(registry));
    }

    private double secondsLeft(X509Certificate certificate) {
        return certificate == null ? Double.NaN : CertificateExpiry.remaining(certificate, clock.instant()).toSeconds();
    }
}
