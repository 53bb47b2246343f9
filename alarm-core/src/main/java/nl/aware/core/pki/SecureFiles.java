package nl.aware.core.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes new files only (never overwrites); secret files are created owner-read/write only. */
final class SecureFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecureFiles() {
    }

    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Fails with {@link FileAlreadyExistsException} if any of {@code paths} exists. */
    static void requireAbsent(Path... paths) throws FileAlreadyExistsException {
        for (Path p : paths) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(p.toString(), null, "refusing to overwrite existing file");
            }
        }
    }

    /**
     * Creates {@code file} (must not exist) and writes it. With {@code secret}, the file is created
     * with POSIX mode 0600 where the file system supports it, so the content is never readable by
     * others, not even briefly. On failure the partly written file is removed.
     */
    static void writeNew(Path file, boolean secret, Writer writer) throws IOException {
        if (secret && supportsPosix(file)) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(file, attr);
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writer.write(out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file, e);
            throw e;
        }
    }

    static void writeNew(Path file, boolean secret, String text) throws IOException {
        writeNew(file, secret, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    static void deleteQuietly(Path file, Exception cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    private static boolean supportsPosix(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return (dir != null ? dir : file).getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
