package nl.aware.core.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataKeyRingTest {
    private static final byte[] SECRET = "52.5168N 6.0830E".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLACE = {1, 2, 3};

    @TempDir
    Path dir;

    @Test
    void sealedData_opensWithItsPlaceAndHidesThePlaintext() throws Exception {
        DataKeyRing keys = DataKeyRing.create(dir.resolve("keys"));
        byte[] sealed = keys.seal(SECRET, PLACE);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("52.5168"));
        assertArrayEquals(SECRET, keys.open(sealed, PLACE));
    }

    @Test
    void oneFlippedBit_failsToOpen() throws Exception {
        DataKeyRing keys = DataKeyRing.create(dir.resolve("keys"));
        byte[] sealed = keys.seal(SECRET, PLACE);
        sealed[sealed.length / 2] ^= 1;
        assertThrows(SealedDataException.class, () -> keys.open(sealed, PLACE));
    }

    @Test
    void sealedValueMovedToAnotherPlace_failsToOpen() throws Exception {
        DataKeyRing keys = DataKeyRing.create(dir.resolve("keys"));
        byte[] sealed = keys.seal(SECRET, PLACE);
        assertThrows(SealedDataException.class, () -> keys.open(sealed, new byte[] {9}));
    }

    @Test
    void rotation_sealsWithTheNewKeyAndStillOpensTheOld() throws Exception {
        DataKeyRing keys = DataKeyRing.create(dir.resolve("keys"));
        byte[] old = keys.seal(SECRET, PLACE);
        assertEquals(2, keys.rotate());
        byte[] fresh = keys.seal(SECRET, PLACE);
        assertEquals(2, ((fresh[1] & 0xFF) << 8) | (fresh[2] & 0xFF));
        DataKeyRing reloaded = DataKeyRing.load(dir.resolve("keys"));
        assertArrayEquals(SECRET, reloaded.open(old, PLACE));
        assertArrayEquals(SECRET, reloaded.open(fresh, PLACE));
    }

    @Test
    void dataSealedWithAKeyThatIsNotHere_failsWithItsKeyId() throws Exception {
        byte[] sealed = DataKeyRing.create(dir.resolve("a")).seal(SECRET, PLACE);
        DataKeyRing other = DataKeyRing.create(dir.resolve("b"));
        other.rotate();
        other.rotate();
        Files.delete(dir.resolve("b").resolve("data-key-0001.key"));
        SealedDataException e = assertThrows(SealedDataException.class,
                () -> DataKeyRing.load(dir.resolve("b")).open(sealed, PLACE));
        assertTrue(e.getMessage().contains("data key 1"), e.getMessage());
    }

    @Test
    void keyFiles_areReadableByTheOwnerOnly() throws Exception {
        DataKeyRing.create(dir.resolve("keys"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("keys").resolve("data-key-0001.key"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys"))));
    }

    @Test
    void createOverExistingKeys_isRefused() throws Exception {
        DataKeyRing.create(dir.resolve("keys"));
        assertThrows(FileAlreadyExistsException.class, () -> DataKeyRing.create(dir.resolve("keys")));
    }

    @Test
    void loadingAMissingDirectory_saysHowToCreateIt() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DataKeyRing.load(dir.resolve("none")));
        assertTrue(e.getReason().contains("aware keys init"), e.getReason());
    }
}
