package nl.aware.gateway;

import nl.aware.records.checkpoint.CheckpointPolicy;
import nl.aware.records.checkpoint.CheckpointWriter;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.records.retention.ScheduledPurge;
import nl.aware.core.state.ServerState;

import java.io.IOException;
import java.time.Clock;
import java.time.Period;

/**
 * What the server does for the evidence and retention of its log (docs/evidence.md, docs/retention.md): signed
 * checkpoints by {@link CheckpointPolicy}, and the daily key duty (location keys ahead, retention purge when
 * configured). One object so that the server wires it in one place.
 */
final class RecordKeeping implements AutoCloseable {
    private final CheckpointWriter checkpoints;
    private final ScheduledPurge retention;

    private RecordKeeping(CheckpointWriter checkpoints, ScheduledPurge retention) {
        this.checkpoints = checkpoints;
        this.retention = retention;
    }

    /** Before the log is replayed: the checkpoint writer must see the replay to know the last checkpoint. */
    static RecordKeeping register(ServerState state, DataDirectory data, DataKeyRing keys, CheckpointPolicy policy,
                                  Period locationRetention, Clock clock) throws ConfigurationException, IOException {
        CheckpointWriter writer;
        try {
            // The server's TLS key also signs checkpoints (docs/evidence.md says why).
            writer = new CheckpointWriter(policy, Pem.readPrivateKey(data.serverKey()),
                    Pem.readCertificate(data.serverCertificate()), clock);
        } catch (PkiException e) {
            throw new ConfigurationException("cannot load the server key that signs checkpoints: " + e.getMessage(), e);
        }
        state.register(writer);
        keys.prepareLocationKeys(clock.instant()); // no frame waits for a new month key
        return new RecordKeeping(writer, new ScheduledPurge(locationRetention, data.log(), keys, clock));
    }

    /** Once the intake is open. */
    void start(EventRecorder recorder) {
        checkpoints.start(recorder);
        retention.start(recorder);
    }

    /** Before the log closes: stops the purge, then signs the last checkpoint. */
    @Override
    public void close() {
        retention.close();
        checkpoints.close();
    }
}
