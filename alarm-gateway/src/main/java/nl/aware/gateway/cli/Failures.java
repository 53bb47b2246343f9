package nl.aware.gateway.cli;

import nl.aware.core.log.LogLockedException;
import nl.aware.core.pki.PkiException;
import nl.aware.dispatch.DispatchConfigFile;
import nl.aware.gateway.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turns a failed command into one clear line and a stable exit code; stack traces go to the log only. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        String name = commandLine.getCommandName();
        if (e instanceof LogLockedException) {
            return say(commandLine, name + ": " + e.getMessage()
                    + " (a running server or another aware command holds it; stop that first)", AwareCommand.ENVIRONMENT);
        }
        if (e instanceof ConfigurationException || e instanceof DispatchConfigFile.ConfigError || e instanceof PkiException || e instanceof NoSuchFileException
                || e instanceof FileAlreadyExistsException || e instanceof IllegalArgumentException) {
            return say(commandLine, name + ": " + message(e), AwareCommand.ENVIRONMENT);
        }
        if (e instanceof IOException) {
            return say(commandLine, name + ": " + message(e), AwareCommand.ENVIRONMENT);
        }
        log.error("{} failed unexpectedly", name, e);
        return say(commandLine, name + ": unexpected error: " + e + " (details in the log)", AwareCommand.UNEXPECTED);
    }

    private static String message(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": " + (missing.getReason() == null ? "no such file" : missing.getReason());
        }
        if (e instanceof FileAlreadyExistsException already) {
            return "refusing to overwrite " + already.getFile()
                    + (already.getReason() == null ? "" : ": it " + already.getReason());
        }
        return e.getMessage();
    }

    private static int say(CommandLine commandLine, String line, int code) {
        commandLine.getErr().println(commandLine.getColorScheme().errorText(line));
        return code;
    }
}
