package nl.aware.core.protocol;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Mod;
import org.bouncycastle.math.raw.Nat256;

import java.math.BigInteger;

/**
 * ECDSA P-256 verification whose point arithmetic allocates nothing. BouncyCastle's {@code ECDSASigner} makes new
 * field elements for nearly every operation, about 80 KB per check: at 200 presses a second that was 80 % of
 * what the server allocated, and the young collections it caused set the latency tail. This runs the same
 * arithmetic (BouncyCastle's P-256 field routines; Jacobian coordinates with a = -3, Hankerson, Menezes and
 * Vanstone, algorithms 3.21 and 3.22) in per-thread scratch arrays. Like BouncyCastle it computes u1·G + u2·Q
 * with two fixed-base combs walked together (HMV algorithm 3.44): 52 doublings and at most 84 additions,
 * against tables of G (shared) and of each device key ({@link #comb}, 2 KiB a key, made at its first check).
 *
 * <p>A signature check uses only public values, so nothing here needs to run in constant time.
 */
final class P256Verification {
    static final BigInteger N = EcCurve.P256.getN();
    private static final BigInteger P = SecP256R1Curve.q;
    /** A device key's comb: 5 teeth 52 bits apart, 2^5 entries of 16 ints (x then y; entry 0 unused). 2 KiB. */
    private static final int KEY_TEETH = 5;
    private static final int KEY_SPACING = 52;
    /** G's comb, shared, so it can be wider: 8 teeth 32 bits apart, 16 KiB, and G is added in only 32 of 52 steps. */
    private static final int G_TEETH = 8;
    private static final int G_SPACING = 32;
    private static final int[] ONE = Nat256.fromBigInteger(BigInteger.ONE);
    private static final int[] G_COMB = comb(EcCurve.P256.getG(), G_TEETH, G_SPACING);
    private static final int[] N_WORDS = Nat256.fromBigInteger(N);
    private static final ThreadLocal<Point> SCRATCH = ThreadLocal.withInitial(Point::new);
    private static final ThreadLocal<Scalars> SCALARS = ThreadLocal.withInitial(Scalars::new);

    private P256Verification() {
    }

    /** Whether (r, s) signs {@code hash} (32 bytes of SHA-256) for the key whose {@link #comb} is {@code keyComb}. */
    static boolean verify(int[] keyComb, byte[] hash, BigInteger r, BigInteger s) {
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        Scalars scalars = SCALARS.get();
        // BouncyCastle's own inversion (safegcd), on words: its BigInteger form shifts each operand apart word by word.
        if (!Mod.modOddInverseVar(N_WORDS, scalars.words(s), scalars.w)) {
            return false; // no inverse: cannot happen for 0 < s < n with n prime, and then nothing is signed
        }
        BigInteger w = Nat256.toBigInteger(scalars.w);
        BigInteger u1 = new BigInteger(1, hash).multiply(w).mod(N);
        BigInteger u2 = r.multiply(w).mod(N);
        Point sum = combined(keyComb, u1, u2, scalars);
        if (sum.infinity) {
            return false;
        }
        // x mod n = r, where x = X/Z² < p < 2n: so x is r or r + n. Compare X with r·Z², no inversion.
        if (sum.xIs(scalars.words(r))) {
            return true;
        }
        BigInteger rPlusN = r.add(N);
        return rPlusN.compareTo(P) < 0 && sum.xIs(scalars.words(rPlusN));
    }

    /** The affine x of u1·G + u2·Q, or null when that sum is the point at infinity (for tests). */
    static BigInteger combinedX(int[] keyComb, BigInteger u1, BigInteger u2) {
        Point sum = combined(keyComb, u1, u2, SCALARS.get());
        if (sum.infinity) {
            return null;
        }
        sum.toAffine();
        return Nat256.toBigInteger(sum.x);
    }

    private static Point combined(int[] keyComb, BigInteger u1, BigInteger u2, Scalars scalars) {
        int[] k1 = scalars.k1;
        int[] k2 = scalars.k2;
        Scalars.toWords(u1, k1);
        Scalars.toWords(u2, k2);
        Point sum = SCRATCH.get();
        sum.infinity = true;
        for (int i = KEY_SPACING - 1; i >= 0; i--) {
            sum.twice();
            if (i < G_SPACING) {
                sum.add(G_COMB, tooth(k1, i, G_TEETH, G_SPACING));
            }
            sum.add(keyComb, tooth(k2, i, KEY_TEETH, KEY_SPACING));
        }
        return sum;
    }

    /** The comb entry for column i of scalar k: bit b of the entry is bit (b·spacing + i) of k. */
    private static int tooth(int[] k, int i, int teeth, int spacing) {
        int entry = 0;
        for (int b = 0, bit = i; b < teeth && bit < 256; b++, bit += spacing) {
            entry |= ((k[bit >>> 5] >>> (bit & 31)) & 1) << b;
        }
        return entry;
    }

    /** A device key's comb: {@link #comb(ECPoint, int, int)} with 5 teeth 52 bits apart. */
    static int[] comb(ECPoint point) {
        return comb(point, KEY_TEETH, KEY_SPACING);
    }

    /** Entry e (1 to 2^teeth - 1) is the sum of 2^(b·spacing)·P over the bits b set in e, in affine coordinates. */
    private static int[] comb(ECPoint point, int teeth, int spacing) {
        ECPoint p = point.normalize();
        int[] table = new int[16 << teeth];
        Point tooth = new Point();
        tooth.set(Nat256.fromBigInteger(p.getAffineXCoord().toBigInteger()),
                Nat256.fromBigInteger(p.getAffineYCoord().toBigInteger()));
        Point entry = new Point();
        for (int b = 0; b < teeth; b++) {
            if (b > 0) {
                for (int i = 0; i < spacing; i++) {
                    tooth.twice();
                }
                tooth.toAffine();
            }
            int top = 1 << b;
            tooth.store(table, top);
            int[][] z = new int[top - 1][];
            for (int e = top + 1; e < 2 * top; e++) {
                entry.load(table, e - top);
                entry.add(table, top);
                entry.store(table, e);
                z[e - top - 1] = entry.z.clone();
            }
            toAffine(table, top + 1, z);
        }
        return table;
    }

    /**
     * Scales entries first, first + 1, ... of {@code table}, Jacobian with the given z, to affine with one
     * inversion for them all (Montgomery's trick): a key's first check takes 0.24 ms rather than 0.29.
     */
    private static void toAffine(int[] table, int first, int[][] z) {
        if (z.length == 0) {
            return;
        }
        int[] tt = Nat256.createExt();
        int[][] products = new int[z.length][];
        products[0] = z[0].clone();
        for (int i = 1; i < z.length; i++) {
            products[i] = Nat256.create();
            SecP256R1Field.multiply(products[i - 1], z[i], products[i], tt);
        }
        int[] inverse = Nat256.create();
        SecP256R1Field.inv(products[z.length - 1], inverse);      // 1 / (z0·z1·...·zk)
        int[] zInverse = Nat256.create();
        int[] scale = Nat256.create();
        int[] coordinate = Nat256.create();
        for (int i = z.length - 1; i >= 0; i--) {
            if (i > 0) {
                SecP256R1Field.multiply(inverse, products[i - 1], zInverse, tt);
                SecP256R1Field.multiply(inverse, z[i], inverse, tt); // now 1 / (z0·...·z(i-1))
            } else {
                Nat256.copy(inverse, zInverse);
            }
            int offset = 16 * (first + i);
            SecP256R1Field.square(zInverse, scale, tt);
            System.arraycopy(table, offset, coordinate, 0, 8);
            SecP256R1Field.multiply(coordinate, scale, coordinate, tt);
            System.arraycopy(coordinate, 0, table, offset, 8);
            SecP256R1Field.multiply(scale, zInverse, scale, tt);
            System.arraycopy(table, offset + 8, coordinate, 0, 8);
            SecP256R1Field.multiply(coordinate, scale, coordinate, tt);
            System.arraycopy(coordinate, 0, table, offset + 8, 8);
        }
    }

    /** Per-thread words for the scalars of one check. */
    private static final class Scalars {
        final int[] k1 = new int[8];
        final int[] k2 = new int[8];
        final int[] w = new int[8];
        private final int[] value = new int[8];

        /** {@code x} (0 <= x < 2^256) as little-endian words, in scratch valid until the next call. */
        int[] words(BigInteger x) {
            toWords(x, value);
            return value;
        }

        static void toWords(BigInteger x, int[] z) {
            byte[] bytes = x.toByteArray(); // big-endian, maybe with a leading sign byte: one allocation
            java.util.Arrays.fill(z, 0);
            for (int i = bytes.length - 1, bit = 0; i >= 0 && bit < 256; i--, bit += 8) {
                z[bit >>> 5] |= (bytes[i] & 0xff) << (bit & 31);
            }
        }
    }

    /** A point in Jacobian coordinates (x/z², y/z³), with the temporaries its arithmetic needs. */
    private static final class Point {
        final int[] x = Nat256.create();
        final int[] y = Nat256.create();
        final int[] z = Nat256.create();
        boolean infinity = true;
        private final int[] t1 = Nat256.create();
        private final int[] t2 = Nat256.create();
        private final int[] t3 = Nat256.create();
        private final int[] t4 = Nat256.create();
        private final int[] ax = Nat256.create();
        private final int[] ay = Nat256.create();
        private final int[] tt = Nat256.createExt();

        void set(int[] affineX, int[] affineY) {
            Nat256.copy(affineX, x);
            Nat256.copy(affineY, y);
            Nat256.copy(ONE, z);
            infinity = false;
        }

        /** This = 2·this (algorithm 3.21). P-256 has prime order, so no finite point has y = 0. */
        void twice() {
            if (infinity) {
                return;
            }
            SecP256R1Field.square(z, t1, tt);
            SecP256R1Field.subtract(x, t1, t2);
            SecP256R1Field.add(x, t1, t1);
            SecP256R1Field.multiply(t2, t1, t2, tt);
            SecP256R1Field.twice(t2, t1);
            SecP256R1Field.add(t1, t2, t2);          // t2 = 3(x - z²)(x + z²)
            SecP256R1Field.twice(y, y);
            SecP256R1Field.multiply(y, z, z, tt);    // z' = 2yz
            SecP256R1Field.square(y, y, tt);         // 4y²
            SecP256R1Field.multiply(y, x, t3, tt);   // t3 = 4xy²
            SecP256R1Field.square(y, y, tt);
            SecP256R1Field.half(y, y);               // 8y⁴
            SecP256R1Field.square(t2, x, tt);
            SecP256R1Field.twice(t3, t1);
            SecP256R1Field.subtract(x, t1, x);       // x' = t2² - 8xy²
            SecP256R1Field.subtract(t3, x, t1);
            SecP256R1Field.multiply(t1, t2, t1, tt);
            SecP256R1Field.subtract(t1, y, y);       // y' = t2(4xy² - x') - 8y⁴
        }

        /** This += entry e of {@code table} (algorithm 3.22); entry 0 is the point at infinity. */
        void add(int[] table, int e) {
            if (e == 0) {
                return;
            }
            System.arraycopy(table, 16 * e, ax, 0, 8);
            System.arraycopy(table, 16 * e + 8, ay, 0, 8);
            if (infinity) {
                set(ax, ay);
                return;
            }
            SecP256R1Field.square(z, t1, tt);
            SecP256R1Field.multiply(t1, z, t2, tt);
            SecP256R1Field.multiply(t1, ax, t1, tt);
            SecP256R1Field.multiply(t2, ay, t2, tt);
            SecP256R1Field.subtract(t1, x, t1);      // c = ax·z² - x
            SecP256R1Field.subtract(t2, y, t2);      // d = ay·z³ - y
            if (Nat256.isZero(t1)) {
                if (Nat256.isZero(t2)) {
                    twice();                         // the same point
                } else {
                    infinity = true;                 // its negation
                }
                return;
            }
            SecP256R1Field.multiply(z, t1, z, tt);   // z' = z·c
            SecP256R1Field.square(t1, t3, tt);
            SecP256R1Field.multiply(t3, t1, t4, tt); // t4 = c³
            SecP256R1Field.multiply(t3, x, t3, tt);  // t3 = x·c²
            SecP256R1Field.twice(t3, t1);
            SecP256R1Field.square(t2, x, tt);
            SecP256R1Field.subtract(x, t1, x);
            SecP256R1Field.subtract(x, t4, x);       // x' = d² - 2x·c² - c³
            SecP256R1Field.subtract(t3, x, t3);
            SecP256R1Field.multiply(t3, t2, t3, tt);
            SecP256R1Field.multiply(t4, y, t4, tt);
            SecP256R1Field.subtract(t3, t4, y);      // y' = d(x·c² - x') - y·c³
        }

        void load(int[] table, int e) {
            System.arraycopy(table, 16 * e, x, 0, 8);
            System.arraycopy(table, 16 * e + 8, y, 0, 8);
            Nat256.copy(ONE, z);
            infinity = false;
        }

        /** Writes this point's x and y as entry e of {@code table} (affine only if z = 1). */
        void store(int[] table, int e) {
            System.arraycopy(x, 0, table, 16 * e, 8);
            System.arraycopy(y, 0, table, 16 * e + 8, 8);
        }

        /** Whether this finite point's affine x is {@code affineX}: x = affineX·z², without an inversion. */
        boolean xIs(int[] affineX) {
            SecP256R1Field.square(z, t1, tt);
            SecP256R1Field.multiply(affineX, t1, t1, tt);
            return Nat256.eq(t1, x);
        }

        /** Scales to z = 1, so x and y are affine. Only for a finite point. */
        void toAffine() {
            SecP256R1Field.inv(z, t1);
            SecP256R1Field.square(t1, t2, tt);
            SecP256R1Field.multiply(x, t2, x, tt);
            SecP256R1Field.multiply(t2, t1, t2, tt);
            SecP256R1Field.multiply(y, t2, y, tt);
            Nat256.copy(ONE, z);
        }
    }
}
