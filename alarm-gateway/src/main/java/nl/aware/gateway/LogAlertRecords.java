package nl.aware.gateway;

import nl.aware.records.evidence.AlertBundle;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertHistoryReader;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.web.staff.AlertRecords;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The staff API's view of one alert, read from the running server's own log: read-only and without the
 * log's lock, like {@code aware log export}, so it never holds up an append.
 */
final class LogAlertRecords implements AlertRecords {
    private final DataDirectory data;
    private final DataKeyRing keys;

    LogAlertRecords(DataDirectory data, DataKeyRing keys) {
        this.data = data;
        this.keys = keys;
    }

    @Override
    public AlertHistory history(UUID alertId) throws IOException, AlertHistoryReader.AlertNotFoundException {
        try {
            return AlertHistoryReader.read(data.log(), keys, Pem.readCertificate(data.caCertificate()), alertId);
        } catch (PkiException e) {
            throw new IOException("the device CA certificate cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] recording(UUID alertId, long deviceId, long streamId) throws IOException,
            AlertHistoryReader.AlertNotFoundException {
        return AlertHistoryReader.recording(data.log(), keys, alertId, deviceId, streamId).orElse(null);
    }

    @Override
    public byte[] evidence(UUID alertId, Instant generatedAt) throws IOException, EvidenceUnavailableException {
        try {
            return AlertBundle.export(data.log(), data.caCertificate(), keys, alertId, generatedAt).zip();
        } catch (AlertBundle.ExportException e) {
            throw new EvidenceUnavailableException(e.getMessage());
        } catch (PkiException e) {
            throw new IOException("the device CA certificate cannot be read: " + e.getMessage(), e);
        }
    }
}
