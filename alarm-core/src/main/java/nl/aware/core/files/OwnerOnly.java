package nl.aware.core.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The server's own files are for the server's user only: directories 0700, files 0600, given at
 * creation (so no other user can open them even for a moment, whatever the umask) and set again on
 * directories that exist. On a file system without POSIX permissions this is the operator's job.
 */
public final class OwnerOnly {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /** Creates {@code directory} and its missing parents as 0700, or sets an existing one to 0700. */
    public static Path directory(Path directory) throws IOException {
        if (!posix(directory)) {
            return Files.createDirectories(directory);
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.setPosixFilePermissions(directory, DIRECTORY);
        return directory;
    }

    /** Opens a file; when the options create it, it is created 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = Set.of(options);
        if (!posix(file)) {
            return FileChannel.open(file, set);
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(FILE);
        return FileChannel.open(file, set, ownerOnly);
    }

    /** Sets the regular files directly in {@code directory} to 0600 (those written by older versions). */
    public static void tightenFiles(Path directory) throws IOException {
        if (!posix(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (openToOthers(file)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        }
    }

    /** True when group or others have any permission on {@code path}; false on non-POSIX file systems. */
    public static boolean openToOthers(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        return permissions.stream().anyMatch(GROUP_OR_OTHERS::contains);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
