package nl.aware.simulator.bench.micro;

import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Verifying a PANIC's ECDSA P-256/SHA-256 signature (r||s): the gateway's BouncyCastle
 * {@link FrameVerifier} against the JDK provider's SHA256withECDSAinP1363Format on the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {
    private DeviceFrame frame;
    private FrameVerifier bouncyCastle;
    private KeyPair key;
    private byte[] signed;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        key = Keys.p256();
        frame = Keys.panic(key, 1);
        bouncyCastle = new FrameVerifier(key.getPublic());
        byte[] wire = frame.wireBytes();
        byte[] body = Arrays.copyOfRange(wire, 2, wire.length);
        signed = Arrays.copyOf(body, frame.signedLength());
        signature = frame.signature();
        if (!bouncyCastle.verify(frame) || !jdk()) {
            throw new IllegalStateException("the benchmark frame does not verify");
        }
    }

    @Benchmark
    public boolean bouncyCastleFrameVerifier() {
        return bouncyCastle.verify(frame);
    }

    @Benchmark
    public boolean jdkSha256WithEcdsaInP1363() throws Exception {
        return jdk();
    }

    private boolean jdk() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key.getPublic());
        verifier.update(signed);
        return verifier.verify(signature);
    }
}
