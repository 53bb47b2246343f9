package nl.aware.simulator.bench;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * ECDSA nonces made before the run: for each random k, r = x(k·G) mod n and 1/k mod n. The scalar
 * multiplication is most of a signature's cost, and it does not depend on the key or the message, so
 * with these a device signs with a hash and two multiplications mod n ({@link PresignedSigner}). The
 * benchmark's devices stand for hardware of their own: this keeps their signing off the server's cores
 * while the server is measured. Handed out in the {@link #open} window only, each nonce once; when they run
 * out, devices sign the usual way and {@link #shortfall} counts it.
 */
final class PresignedNonces {
    static final BigInteger N;
    private static final ECPoint G;

    static {
        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        N = p256.getN();
        G = p256.getG();
    }

    /** One nonce's share of a signature. */
    record Nonce(BigInteger r, BigInteger kInverse) {
    }

    private final BigInteger[] r;
    private final BigInteger[] kInverse;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder shortfall = new LongAdder();
    private volatile boolean armed;
    private volatile long openFrom;
    private volatile long openUntil;

    private PresignedNonces(int count) {
        r = new BigInteger[count];
        kInverse = new BigInteger[count];
    }

    /** Makes {@code count} nonces on every core, printing a live count; the random k come from {@link SecureRandom}. */
    static PresignedNonces make(int count, String label, PrintWriter out) throws InterruptedException {
        PresignedNonces nonces = new PresignedNonces(count);
        AtomicInteger claimed = new AtomicInteger();
        LongAdder made = new LongAdder();
        int threads = Runtime.getRuntime().availableProcessors();
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                SecureRandom random = new SecureRandom();
                FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
                BigInteger nMinusOne = N.subtract(BigInteger.ONE);
                for (int i = claimed.getAndIncrement(); i < count; i = claimed.getAndIncrement()) {
                    BigInteger k;
                    BigInteger x;
                    do {
                        k = BigIntegers.createRandomInRange(BigInteger.ONE, nMinusOne, random);
                        x = multiplier.multiply(G, k).normalize().getAffineXCoord().toBigInteger().mod(N);
                    } while (x.signum() == 0);
                    nonces.r[i] = x;
                    nonces.kInverse[i] = BigIntegers.modOddInverse(N, k);
                    made.increment();
                }
            }, "bench-nonces-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                worker.join(1000);
                if (worker.isAlive()) {
                    progress(out, label, start, made.sum(), count);
                }
            }
        }
        progress(out, label, start, made.sum(), count);
        if (made.sum() != count) { // a worker died: its exception is on standard error
            throw new IllegalStateException("only " + made.sum() + " of " + count + " nonces were made");
        }
        return nonces;
    }

    private static void progress(PrintWriter out, String label, long start, long made, int count) {
        out.printf(Locale.ROOT, "  %s  %5.1fs  nonces made %8d of %d%n", label, (System.nanoTime() - start) / 1e9, made,
                count);
        out.flush();
    }

    /** Nonces are handed out to signatures made from {@code from} until {@code until} (nanoTime: the measured phase). */
    void open(long from, long until) {
        openFrom = from;
        openUntil = until;
        armed = true;
    }

    /** The next unused nonce; null outside the {@link #open} window, or when all are used (then counted as a shortfall). */
    Nonce take() {
        long now = System.nanoTime();
        if (!armed || now - openFrom < 0 || now - openUntil >= 0) {
            return null;
        }
        int i = next.getAndIncrement();
        if (i >= r.length) {
            shortfall.increment();
            return null;
        }
        return new Nonce(r[i], kInverse[i]);
    }

    int size() {
        return r.length;
    }

    /** Nonces handed out. */
    long used() {
        return Math.min(next.get(), r.length);
    }

    /** Signatures made the usual way in the open window because every nonce was used. */
    long shortfall() {
        return shortfall.sum();
    }
}
