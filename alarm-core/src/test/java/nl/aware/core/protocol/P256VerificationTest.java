package nl.aware.core.protocol;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our allocation-free P-256 check against BouncyCastle's own ECDSA and point arithmetic, which it replaces. */
class P256VerificationTest {
    private static final X9ECParameters CURVE = ECNamedCurveTable.getByName("P-256");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
    private static final BigInteger N = CURVE.getN();
    private static final ECPoint G = CURVE.getG();
    private final Random random = new Random(20261204);

    @Test
    void agreesWithBouncyCastle_onValidAndTamperedSignatures() {
        int accepted = 0;
        int refused = 0;
        for (int k = 0; k < 60; k++) {
            BigInteger d = new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            ECPoint q = G.multiply(d).normalize();
            int[] table = P256Verification.comb(q);
            ECDSASigner bc = new ECDSASigner();
            bc.init(false, new ECPublicKeyParameters(q, DOMAIN));
            for (int m = 0; m < 5; m++) {
                byte[] hash = randomBytes(32);
                BigInteger[] rs = sign(d, hash);
                BigInteger r = rs[0];
                BigInteger s = rs[1];
                byte[] otherHash = hash.clone();
                otherHash[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
                List<BigInteger[]> cases = List.of(rs, new BigInteger[] {r, N.subtract(s)},
                        new BigInteger[] {r.add(BigInteger.ONE).mod(N), s}, new BigInteger[] {r, s.add(BigInteger.TWO).mod(N)},
                        new BigInteger[] {s, r});
                for (BigInteger[] c : cases) {
                    boolean expected = bc.verifySignature(hash, c[0], c[1]);
                    assertEquals(expected, P256Verification.verify(table, hash, c[0], c[1]), "key " + k + " message " + m);
                    if (expected) {
                        accepted++;
                    } else {
                        refused++;
                    }
                }
                assertEquals(bc.verifySignature(otherHash, r, s), P256Verification.verify(table, otherHash, r, s));
                assertFalse(P256Verification.verify(table, otherHash, r, s), "a changed message is refused");
                assertTrue(P256Verification.verify(table, hash, r, s), "the signature itself verifies");
            }
        }
        assertEquals(600, accepted, "each signature and its mirror image (r, n - s) are accepted");
        assertEquals(900, refused);
    }

    /**
     * The branch no real signature reaches (about once in 2^128): the sum u1·G + u2·Q has an x at or above n, so
     * r = x - n and the check must compare with r + n. Built backwards: first a point R with such an x, then the
     * key Q for which u1·G + u2·Q = R (its private key is never known, and a check does not need it).
     */
    @Test
    void acceptsASignatureWhoseSumHasAnXAboveN_andRefusesItsNeighbours() {
        ECPoint sum = null;
        for (BigInteger x = N.add(BigInteger.ONE); sum == null; x = x.add(BigInteger.ONE)) {
            sum = pointWithX(x); // about every second x is on the curve
        }
        BigInteger r = sum.getAffineXCoord().toBigInteger().subtract(N);
        byte[] hash = randomBytes(32);
        BigInteger s = new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        BigInteger w = s.modInverse(N);
        BigInteger u1 = new BigInteger(1, hash).multiply(w).mod(N);
        BigInteger u2 = r.multiply(w).mod(N);
        ECPoint q = sum.subtract(G.multiply(u1)).multiply(u2.modInverse(N)).normalize();
        ECDSASigner bc = new ECDSASigner();
        bc.init(false, new ECPublicKeyParameters(q, DOMAIN));
        assertTrue(bc.verifySignature(hash, r, s), "BouncyCastle accepts it, so the construction is right");
        int[] table = P256Verification.comb(q);
        assertEquals(r.add(N), P256Verification.combinedX(table, u1, u2), "the sum's x is r + n");

        assertTrue(P256Verification.verify(table, hash, r, s));
        assertTrue(P256Verification.verify(table, hash, r, N.subtract(s)), "and its mirror image");
        byte[] otherHash = hash.clone();
        otherHash[0] ^= 1;
        assertFalse(P256Verification.verify(table, otherHash, r, s), "a changed message is refused");
        assertFalse(P256Verification.verify(table, hash, r.add(BigInteger.ONE), s), "r + 1 is refused");
        assertFalse(P256Verification.verify(table, hash, r.subtract(BigInteger.ONE), s), "r - 1 is refused");
    }

    @Test
    void refusesOutOfRangeValues_asEcdsaRequires() {
        BigInteger d = BigInteger.valueOf(123456789);
        int[] table = P256Verification.comb(G.multiply(d));
        byte[] hash = randomBytes(32);
        BigInteger[] rs = sign(d, hash);
        assertTrue(P256Verification.verify(table, hash, rs[0], rs[1]));
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, N, N.add(rs[0]), rs[0].negate()}) {
            assertFalse(P256Verification.verify(table, hash, bad, rs[1]), "r = " + bad);
            assertFalse(P256Verification.verify(table, hash, rs[0], bad), "s = " + bad);
        }
    }

    @Test
    void combinedPoint_matchesBouncyCastle_includingSumsThatMeetThemselves() {
        for (BigInteger d : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3), N.subtract(BigInteger.ONE),
                N.subtract(BigInteger.TWO), new BigInteger(256, random).mod(N)}) {
            ECPoint q = G.multiply(d).normalize();
            int[] table = P256Verification.comb(q);
            for (int i = 0; i < 40; i++) {
                BigInteger u1 = i < 8 ? BigInteger.valueOf(i) : new BigInteger(256, random).mod(N);
                BigInteger u2 = i < 8 ? BigInteger.valueOf(7 - i) : new BigInteger(256, random).mod(N);
                ECPoint expected = ECAlgorithms.sumOfTwoMultiplies(G, u1, q, u2).normalize();
                BigInteger x = P256Verification.combinedX(table, u1, u2);
                if (expected.isInfinity()) {
                    assertNull(x, "d " + d + " u1 " + u1 + " u2 " + u2);
                } else {
                    assertEquals(expected.getAffineXCoord().toBigInteger(), x, "d " + d + " u1 " + u1 + " u2 " + u2);
                }
            }
        }
        // Q = G: the combs of u1 and u2 meet as G + G (a doubling inside an addition) and G + (-G) (infinity)
        int[] gTable = P256Verification.comb(G);
        assertEquals(G.twice().normalize().getAffineXCoord().toBigInteger(),
                P256Verification.combinedX(gTable, BigInteger.ONE, BigInteger.ONE));
        assertNull(P256Verification.combinedX(gTable, BigInteger.ONE, N.subtract(BigInteger.ONE)));
        assertNull(P256Verification.combinedX(gTable, BigInteger.valueOf(5), N.subtract(BigInteger.valueOf(5))));
        assertEquals(G.multiply(BigInteger.valueOf(40)).normalize().getAffineXCoord().toBigInteger(),
                P256Verification.combinedX(gTable, BigInteger.valueOf(25), BigInteger.valueOf(15)));
    }

    private BigInteger[] sign(BigInteger d, byte[] hash) {
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(d, DOMAIN),
                new SecureRandom()));
        return signer.generateSignature(hash);
    }

    /** The curve point with affine x {@code x} and even y, or null when x is not on the curve. */
    private static ECPoint pointWithX(BigInteger x) {
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        byte[] xBytes = x.toByteArray(); // 32 bytes, or 33 with a leading zero
        System.arraycopy(xBytes, xBytes.length - 32, compressed, 1, 32);
        try {
            return CURVE.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException notOnTheCurve) {
            return null;
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
