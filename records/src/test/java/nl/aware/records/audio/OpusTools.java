package nl.aware.records.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs {@code opusinfo} (Debian opus-tools) and {@code ffprobe} (Debian ffmpeg) on a file: independent readers
 * of Ogg Opus. Missing in CI ({@code CI=true}) the test fails naming the package; elsewhere it is skipped.
 */
public final class OpusTools {
    private OpusTools() {
    }

    public static void require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(tool + " is not on the PATH; CI must install the Debian package '" + debianPackage + "'");
        }
        assumeTrue(false, tool + " is not on the PATH (apt-get install " + debianPackage + "); skipped outside CI");
    }

    /** Exit code and output (stdout and stderr together). */
    public record Run(int exit, String output) {
    }

    public static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command.get(0) + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** opusinfo's "Playback length: 0m:02.400s" in milliseconds. */
    public static long opusinfoPlaybackMs(Path file) throws IOException, InterruptedException {
        require("opusinfo", "opus-tools");
        Run run = run(List.of("opusinfo", file.toString()));
        Matcher m = Pattern.compile("Playback length: (\\d+)m:(\\d+)\\.(\\d{3})s").matcher(run.output());
        if (run.exit() != 0 || !m.find()) {
            fail("opusinfo did not accept the file (exit " + run.exit() + "):\n" + run.output());
        }
        return Long.parseLong(m.group(1)) * 60_000 + Long.parseLong(m.group(2)) * 1000 + Long.parseLong(m.group(3));
    }

    /** ffprobe's format duration in milliseconds, and the codec it found. */
    public static Run ffprobe(Path file) throws IOException, InterruptedException {
        require("ffprobe", "ffmpeg");
        return run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name,sample_rate,channels",
                "-of", "default=noprint_wrappers=1", file.toString()));
    }
}
