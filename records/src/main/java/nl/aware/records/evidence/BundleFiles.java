package nl.aware.records.evidence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** How bundles (one alert, or a time range) are put on disk and listed in their manifest. */
final class BundleFiles {
    private BundleFiles() {
    }

    /** The manifest's {@code files}: name, size and SHA-256 of each file, in order. */
    static List<Object> digests(Map<String, byte[]> files) {
        List<Object> listed = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", f.getKey());
            item.put("bytes", (long) f.getValue().length);
            item.put("sha256", BundleFormat.HEX.formatHex(BundleFormat.sha256(f.getValue())));
            listed.add(item);
        }
        return listed;
    }

    static void zip(Map<String, byte[]> files, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
    }

    /**
     * A zip file when {@code out} ends in ".zip", else a new directory. Never overwrites: an existing zip or a
     * non-empty directory is refused.
     */
    static void write(Map<String, byte[]> files, Path out) throws IOException {
        if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            try (OutputStream file = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
                zip(files, file);
            }
            return;
        }
        if (Files.isDirectory(out)) {
            try (var listing = Files.list(out)) {
                if (listing.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(out.toString(), null, "is a directory that is not empty");
                }
            }
        }
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(out.resolve(f.getKey()), f.getValue(), StandardOpenOption.CREATE_NEW);
        }
    }
}
