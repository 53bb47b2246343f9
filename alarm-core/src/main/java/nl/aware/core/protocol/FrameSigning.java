package nl.aware.core.protocol;

/**
 * What signs a device frame: ECDSA P-256 over SHA-256 of the given bytes, written as r||s (32+32 bytes).
 * {@link FrameSigner} is the device's own; a benchmark may bring one that did the costly part beforehand.
 */
public interface FrameSigning {
    byte[] sign(byte[] data, int offset, int length);
}
