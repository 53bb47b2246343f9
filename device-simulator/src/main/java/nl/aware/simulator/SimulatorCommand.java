package nl.aware.simulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aware-sim}: simulated AWARE alarm devices. Exit codes: 0 done, 1 the run or its verification
 * failed, 2 usage error.
 */
@Command(name = "aware-sim", mixinStandardHelpOptions = true, version = "aware-sim 0.1.0",
        description = "Simulated AWARE alarm devices: heartbeats, PANIC presses, location tracking over ADP/1.",
        subcommands = {DemoCommand.class, RunCommand.class, nl.aware.simulator.bench.BenchCommand.class, TotpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the run failed or its verification failed", "2:usage error"})
public final class SimulatorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: demo or run");
    }

    /** The command line as the jar runs it: a failure is one line on stderr and exit code 1, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new SimulatorCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("aware-sim " + cmd.getCommandName() + ": " + e);
            return 1;
        });
    }

    public static void main(String[] args) {
        // Name our own logback.xml: the libraries in lib/ may carry one too, and logback would print
        // a page of status lines about the duplicate before the demo says a word.
        java.net.URL config = SimulatorCommand.class.getResource("/logback.xml");
        if (System.getProperty("logback.configurationFile") == null && config != null) {
            System.setProperty("logback.configurationFile", config.toString());
        }
        System.exit(commandLine().execute(args));
    }
}
