package nl.aware.gateway.cli;

import nl.aware.core.event.Event;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.pki.CertificateDer;
import nl.aware.core.pki.Pem;
import nl.aware.gateway.DataDirectory;
import nl.aware.records.checkpoint.CheckpointVerifier;
import nl.aware.redis.RedisLog;
import nl.aware.redis.RedisStoreOptions;
import nl.aware.redis.StoreUnavailableException;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;

@Command(name = "log", mixinStandardHelpOptions = true, description = "The event log.",
        subcommands = {LogCommand.Verify.class, ExportCommand.class, BundleVerifyCommand.class, ReportCommand.class})
final class LogCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every record's CRC, sequence and hash chain, and every signed checkpoint (signature, "
                    + "certificate, agreement with the chain), read-only; names the first bad record and reports the "
                    + "last checkpoint. Exit 1 when the log is damaged.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static final class Location {
            @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
                    description = "Data directory (verifies DIR/log; trusts DIR/pki/ca.pem for checkpoints).")
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

        @Option(names = "--trust-ca", paramLabel = "PEM",
                description = "The deployment CA that certifies the checkpoint key (default with --data-dir: DIR/pki/ca.pem; "
                        + "with --log and without it, signatures are checked against their own certificates only).")
        Path trustCa;

        @Override
        public Integer call() throws Exception {
            CheckpointVerifier.Report report;
            if (location.redis != null) {
                try {
                    RedisStoreOptions.of(location.redis); // checks the URI's form
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
                try {
                    report = CheckpointVerifier.chainOnly(RedisLog.verify(location.redis, redisPrefix));
                } catch (StoreUnavailableException e) {
                    spec.commandLine().getErr().println("verify: " + e.getMessage());
                    return AwareCommand.ENVIRONMENT;
                }
            } else {
                Path dir = location.logDir != null ? location.logDir : location.dataDir.resolve("log");
                if (!Files.isDirectory(dir)) {
                    throw new NoSuchFileException(dir.toString());
                }
                Path ca = trustCa;
                if (ca == null && location.dataDir != null
                        && Files.isRegularFile(new DataDirectory(location.dataDir).caCertificate())) {
                    ca = new DataDirectory(location.dataDir).caCertificate();
                }
                report = CheckpointVerifier.verify(dir, ca == null ? null : Pem.readCertificate(ca));
            }
            VerifyResult result = report.chain();
            var out = spec.commandLine().getOut();
            if (report.intact()) {
                out.printf("log intact: %d records, last sequence %d%s%n", result.records(), result.lastSequence(),
                        result.tornTailBytes() > 0 ? ", torn tail of " + result.tornTailBytes()
                                + " bytes from a crash (truncated at the next start)" : "");
                out.println(checkpoints(report));
                return 0;
            }
            CheckpointVerifier.Problem problem = report.problem();
            spec.commandLine().getErr().printf("log DAMAGED: first bad record %s%s: %s%n",
                    problem.sequence() < 0 ? "(sequence unknown)" : problem.sequence(),
                    problem.segment() == null ? "" : " in " + problem.segment()
                            + (problem.offset() < 0 ? "" : " at offset " + problem.offset()),
                    problem.description());
            out.println(checkpoints(report));
            return AwareCommand.CHECK_FAILED;
        }

        private static String checkpoints(CheckpointVerifier.Report report) {
            Event.Checkpoint last = report.lastCheckpoint();
            if (last == null) {
                return "no signed checkpoint" + (report.intact() ? "" : " before the damage")
                        + ": the records are proven by the chain only";
            }
            String signer;
            try {
                signer = CertificateDer.parse(last.certificateDer()).getSubjectX500Principal().getName();
            } catch (java.security.cert.CertificateException e) {
                signer = "unreadable certificate";
            }
            return report.checkpoints() + " signed checkpoint(s) verified" + (report.caChecked() ? " against the CA"
                    : " (CA not checked: pass --trust-ca)") + "; last: record " + report.checkpointRecord()
                    + " signs record " + last.sequence() + " (hash " + HexFormat.of().formatHex(last.hash()) + ") at "
                    + Instant.ofEpochMilli(last.timeMs()) + " by " + signer
                    + (report.intact() ? "; " + report.uncheckpointedRecords() + " record(s) after it" : "");
        }
    }
}
