package nl.aware.gateway.cli;

import nl.aware.core.log.LogVerifier;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.store.RedisLog;
import nl.aware.core.store.RedisStoreOptions;
import io.lettuce.core.RedisException;
import picocli.CommandLine;
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
        subcommands = {LogCommand.Verify.class, ExportCommand.class, BundleVerifyCommand.class})
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

            @Option(names = "--redis", paramLabel = "URI", description = "The shared log in Redis (redis:// or redis-sentinel:// URI).")
            String redis;
        }

        @Option(names = "--redis-prefix", defaultValue = RedisStoreOptions.DEFAULT_PREFIX, paramLabel = "PREFIX",
                description = "Key prefix of the deployment in Redis (default: ${DEFAULT-VALUE}).")
        String redisPrefix;

        @ArgGroup(multiplicity = "1")
        Location location;

        @Override
        public Integer call() throws Exception {
            VerifyResult result;
            if (location.redis != null) {
                try {
                    RedisStoreOptions.of(location.redis); // checks the URI's form
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
                try {
                    result = RedisLog.verify(location.redis, redisPrefix);
                } catch (RedisException e) {
                    spec.commandLine().getErr().println("verify: cannot read the log from Redis: " + e.getMessage());
                    return AwareCommand.ENVIRONMENT;
                }
            } else {
                Path dir = location.logDir != null ? location.logDir : location.dataDir.resolve("log");
                if (!Files.isDirectory(dir)) {
                    throw new NoSuchFileException(dir.toString());
                }
                result = LogVerifier.verify(dir);
            }
            var out = spec.commandLine().getOut();
            if (result.intact()) {
                out.printf("log intact: %d records, last sequence %d%s%n", result.records(), result.lastSequence(),
                        result.tornTailBytes() > 0 ? ", torn tail of " + result.tornTailBytes()
                                + " bytes from a crash (truncated at the next start)" : "");
                return 0;
            }
            VerifyResult.Problem problem = result.problem();
            spec.commandLine().getErr().printf("log DAMAGED: first bad record in %s%s (sequence %s): %s%n",
                    problem.segment(), problem.offset() < 0 ? "" : " at offset " + problem.offset(), problem.sequence() < 0 ? "unknown" : problem.sequence(),
                    problem.description());
            return AwareCommand.CHECK_FAILED;
        }
    }
}
