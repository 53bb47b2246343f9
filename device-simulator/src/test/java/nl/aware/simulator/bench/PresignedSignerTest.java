package nl.aware.simulator.bench;

import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameVerifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresignedSignerTest {
    private static final long MINUTE = 60_000_000_000L;
    private static KeyPair key;

    @BeforeAll
    static void makeKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
    }

    private static PresignedNonces nonces(int count) throws InterruptedException {
        StringWriter progress = new StringWriter();
        PresignedNonces nonces = PresignedNonces.make(count, "test", new PrintWriter(progress));
        assertTrue(progress.toString().contains("nonces made " + String.format("%8d", count) + " of " + count),
                progress.toString());
        return nonces;
    }

    private static byte[] message(int i) {
        return ("frame " + i + " of a device").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signaturesWithNoncesMadeBeforehand_passTheServersCheckAndBouncyCastles_eachWithItsOwnNonce() throws Exception {
        PresignedNonces nonces = nonces(40);
        nonces.open(System.nanoTime(), System.nanoTime() + MINUTE);
        PresignedSigner signer = new PresignedSigner(key.getPrivate(), nonces);
        FrameVerifier server = new FrameVerifier(key.getPublic());
        ECDSASigner reference = new ECDSASigner();
        reference.init(false, (ECPublicKeyParameters) PublicKeyFactory.createKey(key.getPublic().getEncoded()));
        Set<BigInteger> rs = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            byte[] message = message(i);
            byte[] signature = signer.sign(message, 0, message.length);
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
            assertTrue(server.verify(message, r, s), "the server's check, signature " + i);
            assertTrue(reference.verifySignature(sha256(message), r, s), "BouncyCastle's ECDSA, signature " + i);
            assertFalse(server.verify(message(i + 1000), r, s), "another message must not pass");
            rs.add(r);
        }
        assertEquals(40, rs.size(), "every signature took a nonce of its own");
        assertEquals(40, nonces.used());
        assertEquals(0, nonces.shortfall());
    }

    @Test
    void outsideTheWindow_andAfterTheNoncesRunOut_theDeviceSignsAsItAlwaysDoes() throws Exception {
        PresignedNonces nonces = nonces(2);
        PresignedSigner signer = new PresignedSigner(key.getPrivate(), nonces);
        FrameSigner own = new FrameSigner(key.getPrivate()); // RFC 6979: the same frame signs to the same bytes
        byte[] frame = message(1);
        byte[] asAlways = own.sign(frame, 0, frame.length);
        long now = System.nanoTime();
        nonces.open(now + MINUTE, now + 2 * MINUTE);
        assertArrayEquals(asAlways, signer.sign(frame, 0, frame.length), "not open yet");
        nonces.open(now - 2 * MINUTE, now - MINUTE);
        assertArrayEquals(asAlways, signer.sign(frame, 0, frame.length), "closed again");
        assertEquals(0, nonces.used());
        assertEquals(0, nonces.shortfall(), "outside the window is no shortfall");

        nonces.open(now, now + MINUTE);
        byte[] withNonce = signer.sign(frame, 0, frame.length);
        assertFalse(Arrays.equals(asAlways, withNonce), "a nonce made before, not RFC 6979's");
        signer.sign(frame, 0, frame.length);
        assertArrayEquals(asAlways, signer.sign(frame, 0, frame.length), "ran out");
        assertEquals(2, nonces.used());
        assertEquals(1, nonces.shortfall());
    }

    private static byte[] sha256(byte[] message) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] hash = new byte[32];
        digest.doFinal(hash, 0);
        return hash;
    }
}
