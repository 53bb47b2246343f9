package nl.aware.core.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Time left on a certificate, for expiry metrics and warnings. */
public final class CertificateExpiry {
    private CertificateExpiry() {
    }

    /** Time from {@code now} until notAfter; negative once the certificate has expired. */
    public static Duration remaining(X509Certificate certificate, Instant now) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(now, "now");
        return Duration.between(now, certificate.getNotAfter().toInstant());
    }
}
