package nl.aware.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code aware}: the server and the operators' tool. Exit codes, stable for scripts:
 * 0 done, 1 a check failed (e.g. the log does not verify), 2 wrong usage, 3 the environment is not
 * right (missing or locked files, bad configuration), 4 an unexpected error.
 */
@Command(name = "aware", mixinStandardHelpOptions = true, version = "aware 0.1.0",
        description = "AWARE alarm dispatch server and operator tool.",
        subcommands = {ServerCommand.class, CaCommand.class, KeysCommand.class, CarrierCommand.class, DeviceCommand.class,
                LogCommand.class, StaffCommand.class, RetentionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:a check failed", "2:wrong usage", "3:environment not right (files, configuration)",
                "4:unexpected error"})
public final class AwareCommand {
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int ENVIRONMENT = 3;
    public static final int UNEXPECTED = 4;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AwareCommand());
        commandLine.setExecutionExceptionHandler(new Failures());
        return commandLine;
    }
}
