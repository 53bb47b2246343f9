package nl.aware.core.protocol;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;

import java.math.BigInteger;

/** P-256, the one curve ADP/1 allows (device secure elements support it). */
final class EcCurve {
    static final X9ECParameters P256 = ECNamedCurveTable.getByName("P-256");

    private EcCurve() {
    }

    static void requireP256(ECDomainParameters parameters) {
        if (!parameters.getCurve().equals(P256.getCurve()) || !parameters.getG().equals(P256.getG())) {
            throw new IllegalArgumentException("device key is not on curve P-256");
        }
    }

    /** Writes an unsigned value as exactly 32 big-endian bytes. */
    static void writeFixed(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, out, offset + 32 - length, length);
    }
}
