package nl.aware.gateway.cli;

import nl.aware.core.log.LogVerifier;
import nl.aware.core.log.VerifyResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "log", mixinStandardHelpOptions = true, description = "The event log.",
        subcommands = {LogCommand.Verify.class, ExportCommand.class, BundleVerifyCommand.class, ReportCommand.class})
final class LogCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every record's CRC, sequence and hash chain, read-only; names the first bad record. Exit 1 when the log is damaged.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static final class Location {
            @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR", description = "Data directory (verifies DIR/log).")
            Path dataDir;

            @Option(names = "--log", paramLabel = "DIR", description = "A log directory (e.g. a copy or an export).")
            Path logDir;
        }

        @ArgGroup(multiplicity = "1")
        Location location;

        @Override
        public Integer call() throws Exception {
            Path dir = location.logDir != null ? location.logDir : location.dataDir.resolve("log");
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString());
            }
            VerifyResult result = LogVerifier.verify(dir);
            var out = spec.commandLine().getOut();
            if (result.intact()) {
                out.printf("log intact: %d records, last sequence %d%s%n", result.records(), result.lastSequence(),
                        result.tornTailBytes() > 0 ? ", torn tail of " + result.tornTailBytes()
                                + " bytes from a crash (truncated at the next start)" : "");
                return 0;
            }
            VerifyResult.Problem problem = result.problem();
            spec.commandLine().getErr().printf("log DAMAGED: first bad record in %s at offset %d (sequence %s): %s%n",
                    problem.segment(), problem.offset(), problem.sequence() < 0 ? "unknown" : problem.sequence(),
                    problem.description());
            return AwareCommand.CHECK_FAILED;
        }
    }
}
