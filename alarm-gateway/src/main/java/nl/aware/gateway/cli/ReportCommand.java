package nl.aware.gateway.cli;

import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertHistoryReader;
import nl.aware.core.pki.Pem;
import nl.aware.records.report.FollowUpReport;
import nl.aware.records.report.ReportLanguage;
import nl.aware.gateway.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code aware log report}: one alert's follow-up report (docs/reports.md). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the follow-up report of one alert (HTML or PDF, Dutch or English): carrier, device, press "
                + "times, lifecycle, delivery attempts, escalations, location track with a plot, cancel, and whether the "
                + "record verifies. Read-only; works while the server runs. Exit 1 when the alert is not in the log, "
                + "3 when a file or key is missing. A report of a damaged log is still written and says NOT verified.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Deployment deployment;

    @Option(names = "--alert", required = true, paramLabel = "UUID",
            description = "Alert id (the event id of the PANIC that opened it).")
    UUID alertId;

    @Option(names = "--lang", defaultValue = "nl", paramLabel = "nl|en", converter = LanguageConverter.class,
            description = "Language of the report (default: ${DEFAULT-VALUE}).")
    ReportLanguage language;

    @Option(names = "--format", defaultValue = "pdf", paramLabel = "html|pdf", converter = FormatConverter.class,
            description = "File format (default: ${DEFAULT-VALUE}).")
    FollowUpReport.Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it. Never overwritten.")
    Path out;

    static final class LanguageConverter implements ITypeConverter<ReportLanguage> {
        @Override
        public ReportLanguage convert(String value) {
            try {
                return ReportLanguage.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements ITypeConverter<FollowUpReport.Format> {
        @Override
        public FollowUpReport.Format convert(String value) {
            try {
                return FollowUpReport.Format.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        DataDirectory dir = deployment.data();
        if (!Files.isDirectory(dir.log())) {
            throw new NoSuchFileException(dir.log().toString(), null, "no event log there");
        }
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "exists");
        }
        String notAnAlert = AlertIdCheck.refusal(dir, deployment.keys(), alertId);
        if (notAnAlert != null) {
            spec.commandLine().getErr().println("report: " + notAnAlert);
            return AwareCommand.CHECK_FAILED;
        }
        X509Certificate ca = Files.isRegularFile(dir.caCertificate()) ? Pem.readCertificate(dir.caCertificate()) : null;
        AlertHistory history;
        try {
            history = AlertHistoryReader.read(dir.log(), deployment.keys(), ca, alertId);
        } catch (AlertHistoryReader.AlertNotFoundException e) {
            spec.commandLine().getErr().println("report: " + e.getMessage());
            return AwareCommand.CHECK_FAILED;
        }
        byte[] report = FollowUpReport.render(history, language, format, Instant.now());
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.write(out, report, StandardOpenOption.CREATE_NEW);
        spec.commandLine().getOut().printf("wrote the %s %s report of alert %s to %s (%s)%n"
                        + "it holds the carrier's personal data: keep it as confidential as the case file%n",
                language.code(), format.extension(), alertId, out,
                history.verification().verified() ? "record verified" : "record NOT verified: see the report");
        return 0;
    }
}
