package nl.aware.core.crypto;

import nl.aware.core.files.OwnerOnly;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys that encrypt personal data at rest (AES-256-GCM), kept in their own directory, apart
 * from the data directory: a copy of the data alone reveals no location. The newest key seals new
 * data; every key still opens what it sealed, so rotation is adding a key (docs/operations.md).
 *
 * <p>Sealed format: {@code u8 version | u16 keyId | 12-byte nonce | ciphertext | 16-byte tag}.
 * The associated data binds a sealed value to its place (e.g. its event id), so a ciphertext moved
 * to another record does not open. Versions: 1 a data key ({@code data-key-NNNN.key}); 2 the
 * location key of a calendar month of receive time ({@code location-key-YYYY-MM.key}, keyId = months
 * since 2000-01), destroyed by the retention purge (docs/retention.md); 3 the hold key of one alert
 * under legal hold ({@code hold-key-<alert id>.key}, keyId 0).
 */
public final class DataKeyRing {
    private static final Pattern FILE = Pattern.compile("data-key-(\\d{4})\\.key");
    private static final Pattern LOCATION_FILE = Pattern.compile("location-key-(\\d{4}-\\d{2})\\.key");
    private static final int VERSION = 1;
    private static final int VERSION_LOCATION = 2;
    private static final int VERSION_HOLD = 3;
    private static final YearMonth EPOCH_MONTH = YearMonth.of(2000, 1);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final TreeMap<Integer, SecretKeySpec> keys;
    /** Guarded by this. Location keys by month, loaded lazily and created on first use. */
    private final Map<YearMonth, SecretKeySpec> locationKeys = new TreeMap<>();
    private final Map<UUID, SecretKeySpec> holdKeys = new HashMap<>();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(DataKeyRing::newCipher);

    private DataKeyRing(Path directory, TreeMap<Integer, SecretKeySpec> keys) {
        this.directory = directory;
        this.keys = keys;
    }

    /** Makes a new key directory (0700) with its first key. Refuses a directory that already holds keys. */
    public static DataKeyRing create(Path directory) throws IOException {
        OwnerOnly.directory(directory);
        if (!readKeys(directory).isEmpty()) {
            throw new FileAlreadyExistsException(directory.toString(), null,
                    "holds data keys already; replacing them would make the stored data unreadable");
        }
        DataKeyRing ring = new DataKeyRing(directory, new TreeMap<>());
        ring.rotate();
        ring.prepareLocationKeys(Instant.now());
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
        return seal(VERSION, keyId, key, plaintext, associatedData);
    }

    /**
     * Encrypts a device frame (it holds a location) with the key of the month of {@code receiveTimeMs} (UTC),
     * creating that key durably first if this is the month's first frame. The retention purge destroys it.
     */
    public byte[] sealLocation(byte[] plaintext, byte[] associatedData, long receiveTimeMs) {
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(receiveTimeMs).atZone(ZoneOffset.UTC));
        int id = (int) EPOCH_MONTH.until(month, java.time.temporal.ChronoUnit.MONTHS);
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("receive time " + Instant.ofEpochMilli(receiveTimeMs)
                    + " is outside the location keys' months");
        }
        SecretKeySpec key;
        try {
            key = locationKey(month, true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the location key of " + month + " in " + directory, e);
        }
        return seal(VERSION_LOCATION, id, key, plaintext, associatedData);
    }

    /**
     * Makes sure the location keys of this month and the next exist, so that sealing never waits for a key to be
     * created and fsync'd (the server calls this at start and daily). A purged month is left alone.
     */
    public void prepareLocationKeys(Instant now) throws IOException {
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        for (YearMonth m : List.of(month, month.plusMonths(1))) {
            if (!Files.exists(directory.resolve(tombstone(locationFileName(m))))) {
                locationKey(m, true);
            }
        }
    }

    /** Encrypts a frame of an alert under legal hold with that alert's hold key (created durably on first use). */
    public byte[] sealHeld(UUID alertId, byte[] plaintext, byte[] associatedData) throws IOException {
        SecretKeySpec key;
        synchronized (this) {
            key = holdKeys.get(alertId);
            if (key == null) {
                Path file = directory.resolve(holdFileName(alertId));
                key = Files.exists(file) ? readKey(file) : createKey(file);
                holdKeys.put(alertId, key);
            }
        }
        return seal(VERSION_HOLD, 0, key, plaintext, associatedData);
    }

    /** Opens a value sealed by {@link #sealHeld}; {@link LocationPurgedException} when its hold key was destroyed. */
    public byte[] openHeld(UUID alertId, byte[] sealed, byte[] associatedData) throws SealedDataException {
        if (sealed.length < 3 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION_HOLD) {
            throw new SealedDataException("held value is malformed");
        }
        SecretKeySpec key;
        synchronized (this) {
            key = holdKeys.get(alertId);
            if (key == null) {
                Path file = directory.resolve(holdFileName(alertId));
                try {
                    if (!Files.exists(file)) {
                        throw purgedOrMissing(holdFileName(alertId));
                    }
                    key = readKey(file);
                } catch (IOException e) {
                    throw new SealedDataException("cannot read " + file + ": " + e.getMessage());
                }
                holdKeys.put(alertId, key);
            }
        }
        return open(key, sealed, associatedData);
    }

    private byte[] seal(int version, int keyId, SecretKeySpec key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(3 + NONCE_BYTES + sealed.length).put((byte) version).putShort((short) keyId)
                    .put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", e);
        }
    }

    /** Decrypts and authenticates; any change to the bytes or the associated data fails. */
    public byte[] open(byte[] sealed, byte[] associatedData) throws SealedDataException {
        if (sealed.length < 3 + NONCE_BYTES + TAG_BITS / 8
                || (sealed[0] != VERSION && sealed[0] != VERSION_LOCATION)) {
            throw new SealedDataException("sealed value is malformed");
        }
        int keyId = ((sealed[1] & 0xFF) << 8) | (sealed[2] & 0xFF);
        SecretKeySpec key;
        if (sealed[0] == VERSION_LOCATION) {
            YearMonth month = EPOCH_MONTH.plusMonths(keyId);
            try {
                key = locationKey(month, false);
            } catch (IOException e) {
                throw new SealedDataException("cannot read the location key of " + month + ": " + e.getMessage());
            }
            if (key == null) {
                throw purgedOrMissing(locationFileName(month));
            }
            return open(key, sealed, associatedData);
        }
        synchronized (this) {
            key = keys.get(keyId);
        }
        if (key == null) {
            throw new SealedDataException("sealed with data key " + keyId + ", which is not in " + directory);
        }
        return open(key, sealed, associatedData);
    }

    private byte[] open(SecretKeySpec key, byte[] sealed, byte[] associatedData) throws SealedDataException {
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

    // ------------------------------------------------------------------------------ location and hold keys

    static String locationFileName(YearMonth month) {
        return "location-key-" + month + ".key";
    }

    static String holdFileName(UUID alertId) {
        return "hold-key-" + alertId + ".key";
    }

    /** The tombstone a destroyed key leaves: its name plus ".purged", holding the purge date and policy. */
    static String tombstone(String keyFile) {
        return keyFile + ".purged";
    }

    private synchronized SecretKeySpec locationKey(YearMonth month, boolean create) throws IOException {
        SecretKeySpec key = locationKeys.get(month);
        if (key != null) {
            return key;
        }
        Path file = directory.resolve(locationFileName(month));
        if (Files.exists(file)) {
            key = readKey(file);
        } else if (create) {
            if (Files.exists(directory.resolve(tombstone(locationFileName(month))))) {
                throw new IOException("the location key of " + month + " was purged; nothing of that month can be sealed");
            }
            key = createKey(file);
        } else {
            return null;
        }
        locationKeys.put(month, key);
        return key;
    }

    private SealedDataException purgedOrMissing(String keyFile) {
        Path tombstone = directory.resolve(tombstone(keyFile));
        if (Files.exists(tombstone)) {
            try {
                return new LocationPurgedException(Files.readString(tombstone).trim());
            } catch (IOException e) {
                return new LocationPurgedException("location purged under retention policy");
            }
        }
        return new SealedDataException("sealed with " + keyFile + ", which is not in " + directory);
    }

    /** Months that have a location key here, oldest first. */
    public synchronized List<YearMonth> locationMonths() throws IOException {
        List<YearMonth> months = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher name = LOCATION_FILE.matcher(file.getFileName().toString());
                if (name.matches()) {
                    months.add(YearMonth.parse(name.group(1)));
                }
            }
        }
        Collections.sort(months);
        return months;
    }

    /** Whether a hold key of this alert is here (not destroyed). */
    public boolean hasHoldKey(UUID alertId) {
        return Files.exists(directory.resolve(holdFileName(alertId)));
    }

    /**
     * Destroys the location key of {@code month}: leaves a tombstone saying {@code note} (e.g. "location purged
     * on 2026-11-25 under retention policy P90D"), overwrites the key file with zeros, fsyncs, deletes it and
     * fsyncs the directory. Whatever it sealed can never be opened again.
     */
    public void destroyLocationKey(YearMonth month, String note) throws IOException {
        synchronized (this) {
            locationKeys.remove(month);
        }
        destroy(locationFileName(month), note);
    }

    /** Destroys the hold key of a released alert, like {@link #destroyLocationKey}. */
    public void destroyHoldKey(UUID alertId, String note) throws IOException {
        synchronized (this) {
            holdKeys.remove(alertId);
        }
        destroy(holdFileName(alertId), note);
    }

    private void destroy(String keyFile, String note) throws IOException {
        Path file = directory.resolve(keyFile);
        Path tombstone = directory.resolve(tombstone(keyFile));
        if (!Files.exists(tombstone)) {
            Files.writeString(tombstone, note + "\n");
            force(tombstone);
        }
        if (Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate((int) Math.max(64, channel.size())), 0);
                channel.force(true);
            }
            Files.delete(file);
        }
        force(directory);
    }

    private static SecretKeySpec createKey(Path file) throws IOException {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        // Durable before anything sealed with it is: a key lost in a crash would lose an acknowledged press.
        force(file);
        force(file.getParent());
        return new SecretKeySpec(key, "AES");
    }

    private static SecretKeySpec readKey(Path file) throws IOException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a base64 key");
        }
        if (key.length != 32) {
            throw new IOException(file + " holds " + key.length + " bytes; a key has 32");
        }
        return new SecretKeySpec(key, "AES");
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) {
                throw e; // some file systems cannot fsync a directory; a file must be durable
            }
        }
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
