package nl.aware.simulator.bench.micro;

import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameVerifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Verifying a PANIC's ECDSA P-256/SHA-256 signature (r||s): the gateway's {@link FrameVerifier} against
 * BouncyCastle's {@code ECDSASigner} (what the verifier used until 2026-12-04, with its key's precomputation kept)
 * and the JDK provider's SHA256withECDSAinP1363Format, on the same bytes. Run with {@code -prof gc} to see the
 * bytes each allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {
    private DeviceFrame frame;
    private FrameVerifier verifier;
    private ECPublicKeyParameters bouncyCastleKey;
    private KeyPair key;
    private byte[] signed;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        key = Keys.p256();
        frame = Keys.panic(key, 1);
        verifier = new FrameVerifier(key.getPublic());
        bouncyCastleKey = (ECPublicKeyParameters) PublicKeyFactory.createKey(key.getPublic().getEncoded());
        byte[] wire = frame.wireBytes();
        byte[] body = Arrays.copyOfRange(wire, 2, wire.length);
        signed = Arrays.copyOf(body, frame.signedLength());
        signature = frame.signature();
        if (!verifier.verify(frame) || !bouncyCastleEcdsaSigner() || !jdk()) {
            throw new IllegalStateException("the benchmark frame does not verify");
        }
    }

    @Benchmark
    public boolean frameVerifier() {
        return verifier.verify(frame);
    }

    /** A device's first frame: the key's comb is made then (a reconnecting fleet pays this once per device). */
    @Benchmark
    public boolean frameVerifierFirstCheck() {
        return new FrameVerifier(key.getPublic()).verify(frame);
    }

    @Benchmark
    public boolean bouncyCastleEcdsaSignerFirstCheck() throws Exception {
        return bouncyCastle((ECPublicKeyParameters) PublicKeyFactory.createKey(key.getPublic().getEncoded()));
    }

    @Benchmark
    public boolean bouncyCastleEcdsaSigner() {
        return bouncyCastle(bouncyCastleKey);
    }

    private boolean bouncyCastle(ECPublicKeyParameters publicKey) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(signed, 0, signed.length);
        byte[] hash = new byte[32];
        digest.doFinal(hash, 0);
        ECDSASigner bouncyCastle = new ECDSASigner();
        bouncyCastle.init(false, publicKey);
        return bouncyCastle.verifySignature(hash, new BigInteger(1, signature, 0, 32), new BigInteger(1, signature, 32, 32));
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
