package nl.aware.gateway.cli;

import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Secrets for one command, from standard input (one per line, in the order asked), an environment
 * variable, or the console without echo. Never from an argument.
 */
final class PasswordInput {
    private final CommandLine commandLine;
    private BufferedReader stdin;

    PasswordInput(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    /**
     * @param fromStdin the user asked for standard input
     * @param env       environment variable consulted next
     * @param confirm   a prompt asks twice (a new password)
     */
    char[] secret(boolean fromStdin, String env, String prompt, boolean confirm) throws IOException {
        return read(fromStdin, env, prompt, confirm, "password", "--password-stdin");
    }

    /** The code of the person's authenticator app: the next line of standard input, {@code env}, or a prompt. */
    char[] code(boolean fromStdin, String env, String prompt) throws IOException {
        return read(fromStdin, env, prompt, false, "authenticator code", "--totp-stdin");
    }

    private char[] read(boolean fromStdin, String env, String prompt, boolean confirm, String what, String flag)
            throws IOException {
        if (fromStdin) {
            if (stdin == null) {
                stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            }
            String line = stdin.readLine();
            if (line == null) {
                throw new CommandLine.ParameterException(commandLine, "standard input ended before the " + what);
            }
            return line.toCharArray();
        }
        String value = System.getenv(env);
        if (value != null && !value.isEmpty()) {
            return value.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandLine.ParameterException(commandLine, "no " + what + ": no console to ask on; use "
                    + flag + " or set $" + env);
        }
        char[] first = console.readPassword("%s", prompt);
        if (confirm) {
            char[] again = console.readPassword("Again: ");
            boolean same = Arrays.equals(first, again);
            Arrays.fill(again, '\0');
            if (!same) {
                throw new CommandLine.ParameterException(commandLine, "the two passwords differ");
            }
        }
        return first;
    }
}
