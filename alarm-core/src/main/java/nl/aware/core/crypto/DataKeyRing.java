package nl.aware.core.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys that encrypt personal data at rest (AES-256-GCM), kept in their own directory, apart
 * from the data directory: a copy of the data alone reveals no location. The newest key seals new
 * data; every key still opens what it sealed, so rotation is adding a key (docs/operations.md).
 *
 * <p>Sealed format: {@code u8 version (1) | u16 keyId | 12-byte nonce | ciphertext | 16-byte tag}.
 * The associated data binds a sealed value to its place (e.g. its event id), so a ciphertext moved
 * to another record does not open.
 */
public final class DataKeyRing {
    private static final Pattern FILE = Pattern.compile("data-key-(\\d{4})\\.key");
    private static final int VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final TreeMap<Integer, SecretKeySpec> keys;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(DataKeyRing::newCipher);

    private DataKeyRing(Path directory, TreeMap<Integer, SecretKeySpec> keys) {
        this.directory = directory;
        this.keys = keys;
    }

    /** Makes a new key directory (0700) with its first key. Refuses a directory that already holds keys. */
    public static DataKeyRing create(Path directory) throws IOException {
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // permissions are the operator's job on such file systems
        }
        if (!readKeys(directory).isEmpty()) {
            throw new FileAlreadyExistsException(directory.toString(), null,
                    "holds data keys already; replacing them would make the stored data unreadable");
        }
        DataKeyRing ring = new DataKeyRing(directory, new TreeMap<>());
        ring.rotate();
        return ring;
    }

    /** Loads every key of the directory; a missing or empty directory is an error naming it. */
    public static DataKeyRing load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null,
                    "no data key directory; create one with `aware keys init --key-dir " + directory + "`");
        }
        TreeMap<Integer, SecretKeySpec> keys = readKeys(directory);
        if (keys.isEmpty()) {
            throw new NoSuchFileException(directory.toString(), null, "holds no data-key-NNNN.key file");
        }
        return new DataKeyRing(directory, keys);
    }

    /** Adds a new key, which seals everything from now on. Returns its id. */
    public synchronized int rotate() throws IOException {
        int id = keys.isEmpty() ? 1 : keys.lastKey() + 1;
        if (id > 9999) {
            throw new IOException("key directory " + directory + " is full (9999 keys)");
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Path file = directory.resolve(String.format("data-key-%04d.key", id));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        keys.put(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    public synchronized int currentKeyId() {
        return keys.lastKey();
    }

    /** Encrypts with the current key. */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        int keyId;
        SecretKeySpec key;
        synchronized (this) {
            keyId = keys.lastKey();
            key = keys.get(keyId);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(3 + NONCE_BYTES + sealed.length).put((byte) VERSION).putShort((short) keyId)
                    .put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", e);
        }
    }

    /** Decrypts and authenticates; any change to the bytes or the associated data fails. */
    public byte[] open(byte[] sealed, byte[] associatedData) throws SealedDataException {
        if (sealed.length < 3 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new SealedDataException("sealed value is malformed");
        }
        int keyId = ((sealed[1] & 0xFF) << 8) | (sealed[2] & 0xFF);
        SecretKeySpec key;
        synchronized (this) {
            key = keys.get(keyId);
        }
        if (key == null) {
            throw new SealedDataException("sealed with data key " + keyId + ", which is not in " + directory);
        }
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 3, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, 3 + NONCE_BYTES, sealed.length - 3 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealedDataException("sealed value does not authenticate (altered, or not ours)");
        } catch (GeneralSecurityException e) {
            throw new SealedDataException("sealed value cannot be opened: " + e.getMessage());
        }
    }

    public Path directory() {
        return directory;
    }

    private static TreeMap<Integer, SecretKeySpec> readKeys(Path directory) throws IOException {
        TreeMap<Integer, SecretKeySpec> keys = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher name = FILE.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(Files.readString(file).trim());
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " is not a base64 data key");
                }
                if (key.length != 32) {
                    throw new IOException(file + " holds " + key.length + " bytes; a data key has 32");
                }
                keys.put(Integer.parseInt(name.group(1)), new SecretKeySpec(key, "AES"));
            }
        }
        return keys;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "DataKeyRing[" + directory + ", " + keys.size() + " keys]";
    }

    /** For callers that need the key ids, e.g. a listing. */
    public synchronized Map<Integer, String> keyFiles() {
        Map<Integer, String> files = new TreeMap<>();
        keys.keySet().forEach(id -> files.put(id, String.format("data-key-%04d.key", id)));
        return files;
    }
}
