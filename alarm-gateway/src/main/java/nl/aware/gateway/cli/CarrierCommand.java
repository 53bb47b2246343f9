package nl.aware.gateway.cli;

import nl.aware.core.admin.AdministrationException;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.LogLockedException;
import nl.aware.core.event.Region;
import nl.aware.core.store.EventStore;
import nl.aware.core.state.ServerState;
import nl.aware.http.StrictUuid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * Kadera's carrier registry on the command line: through the running server's staff API when one holds
 * the log, else recorded offline (like device enrolment). The profile
 * is sealed in the log with the data keys; nothing personal is printed back.
 */
@Command(name = "carrier", mixinStandardHelpOptions = true, description = "Register the people who carry an alarm.",
        subcommands = {CarrierCommand.Register.class, CarrierCommand.Consent.class})
final class CarrierCommand {

    /** {@code yes} or {@code no}, nothing else: a consent is never guessed from "true", "1" or "y". */
    enum YesNo {
        yes, no;

        boolean value() {
            return this == yes;
        }
    }

    static final class CarrierIdConverter implements CommandLine.ITypeConverter<UUID> {
        @Override
        public UUID convert(String value) {
            return StrictUuid.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + value + "' is not a carrier id (a UUID such as 0b7e3c52-9a14-4f6d-8e21-5c3a7d9b1f40)"));
        }
    }

    static String yesNo(boolean consent) {
        return consent ? "yes" : "no";
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a carrier after Kadera's intake. All five eligibility criteria must be confirmed; "
                    + "prints the carrier id to enrol a device with.")
    static final class Register implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WritableLog deployment;

        @Option(names = "--region", required = true, converter = DeviceCommand.RegionConverter.class,
                description = "Police region the carrier lives in: ijsselland or twente (no other region is served).")
        Region region;

        @Option(names = "--name", required = true, description = "Full name, as the police should know it.")
        String name;

        @Option(names = "--phone", defaultValue = "", description = "Phone number.")
        String phone;

        @Option(names = "--photo-ref", defaultValue = "", description = "Reference to the photo in Kadera's file.")
        String photoReference;

        @Option(names = "--threat", defaultValue = "", description = "The threat, for the police.")
        String threat;

        @Option(names = "--aggressor", defaultValue = "", description = "The aggressor's description, for the police.")
        String aggressor;

        @Option(names = "--police-notes", defaultValue = "", description = "Other notes for officers (children, pets, access).")
        String notes;

        @Option(names = "--intake-done", description = "Confirmed: registered with Kadera after an intake interview.")
        boolean intakeDone;

        @Option(names = "--lives-in-region", description = "Confirmed: lives in the region.")
        boolean livesInRegion;

        @Option(names = "--agrees-to-report", description = "Confirmed: agrees to file a police report after each alert.")
        boolean agreesToReport;

        @Option(names = "--realistic-risk", description = "Confirmed: realistic risk of meeting the aggressor.")
        boolean realisticRisk;

        @Option(names = "--no-contact", description = "Confirmed: no contact with the ex-partner.")
        boolean noContact;

        @Option(names = "--records-after-press", paramLabel = "yes|no", defaultValue = "no",
                description = "The carrier agreed that the device records sound by itself after a press "
                        + "(default: ${DEFAULT-VALUE}).")
        YesNo recordsAfterPress;

        @Mixin
        RunningServer running;

        @Override
        public Integer call() throws Exception {
            deployment.data().requirePki();
            CarrierProfile profile;
            try {
                profile = new CarrierProfile(name, phone, photoReference, threat, aggressor, notes,
                        new CarrierProfile.Eligibility(intakeDone, livesInRegion, agreesToReport, realisticRisk, noContact),
                        recordsAfterPress.value());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!profile.eligibility().unmet().isEmpty()) {
                spec.commandLine().getErr().printf("carrier not registered: not eligible for an AWARE alarm; not met: %s%n",
                        String.join("; ", profile.eligibility().unmet()));
                return AwareCommand.CHECK_FAILED;
            }
            EventCodec codec = deployment.codec();
            ServerState state = new ServerState();
            EventStore opened;
            try {
                opened = deployment.open(codec, state);
            } catch (LogLockedException held) {
                return online(profile);
            }
            java.util.UUID carrierId;
            try (EventStore log = opened; var offline = DeviceCommand.offline(log, state)) {
                carrierId = offline.registerCarrier(region, profile).join();
            }
            spec.commandLine().getOut().printf("registered carrier %s in %s%n", carrierId, region.label());
            return 0;
        }

        /** Through the running server's staff API (the same rules, checked there: {@code CarrierRegistration}). */
        private int online(CarrierProfile profile) throws Exception {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("region", region.name()).put("name", profile.name()).put("phone", profile.phone())
                    .put("photoReference", profile.photoReference()).put("threat", profile.threatDescription())
                    .put("aggressor", profile.aggressorDescription()).put("policeNotes", profile.policeNotes());
            json.putObject("eligibility").put("registeredAfterIntake", intakeDone).put("livesInRegion", livesInRegion)
                    .put("agreesToFileReport", agreesToReport).put("realisticRisk", realisticRisk)
                    .put("noContactWithAggressor", noContact);
            json.put("recordsAfterPress", recordsAfterPress.value());
            var answer = running.call(spec, deployment.data(), (client, token) -> client.post("/staff/v1/carriers", token, json));
            if (answer == null) {
                return AwareCommand.CHECK_FAILED;
            }
            spec.commandLine().getOut().printf("registered carrier %s in %s through the running server%n",
                    answer.path("carrierId").asText(), region.label());
            return 0;
        }
    }

    @Command(name = "consent", mixinStandardHelpOptions = true,
            description = {"Show, or with --records-after-press set, whether the carrier agreed that the device records "
                    + "sound by itself after a press (a LISTEN by the control room is not covered by it).",
                    "Through the running server's staff API when one holds the log (recorded in the access trail), "
                            + "else offline. Prints only the consent, nothing else of the record."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown or set", "1:no such carrier, its participation ended, or the server refused",
                    "2:usage error"})
    static final class Consent implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WritableLog deployment;

        @Option(names = "--id", required = true, paramLabel = "CARRIER_ID", converter = CarrierIdConverter.class,
                description = "The carrier id that `aware carrier register` printed.")
        UUID carrierId;

        @Option(names = "--records-after-press", paramLabel = "yes|no",
                description = "Set the consent; without it the consent is shown.")
        YesNo recordsAfterPress;

        @Mixin
        RunningServer running;

        @Override
        public Integer call() throws Exception {
            deployment.data().requirePki();
            ServerState state = new ServerState();
            EventStore opened;
            try {
                opened = deployment.open(deployment.codec(), state);
            } catch (LogLockedException held) {
                return online();
            }
            try (EventStore log = opened; var offline = DeviceCommand.offline(log, state)) {
                if (state.carriers().find(carrierId).isEmpty()) {
                    spec.commandLine().getErr().printf("%s: no carrier %s%n", spec.qualifiedName(), carrierId);
                    return AwareCommand.CHECK_FAILED;
                }
                if (recordsAfterPress != null) {
                    offline.setRecordingConsent(carrierId, recordsAfterPress.value()).join();
                }
            } catch (CompletionException e) {
                if (e.getCause() instanceof AdministrationException refused) {
                    spec.commandLine().getErr().printf("%s: %s; nothing changed%n", spec.qualifiedName(),
                            refused.getMessage());
                    return AwareCommand.CHECK_FAILED;
                }
                throw e;
            }
            boolean consent = state.carriers().find(carrierId).orElseThrow().profile().recordsAfterPress();
            spec.commandLine().getOut().printf("carrier %s: records after a press: %s%n", carrierId, yesNo(consent));
            return 0;
        }

        /** Through the staff API: set, then read back (a recorded read of the carrier record). */
        private int online() throws Exception {
            String path = "/staff/v1/carriers/" + carrierId;
            if (recordsAfterPress != null) {
                var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("recordsAfterPress", recordsAfterPress.value());
                var set = running.call(spec, deployment.data(), (client, token) -> client.send("PUT",
                        path + "/recording-consent", token, body));
                if (set == null) {
                    return AwareCommand.CHECK_FAILED;
                }
                spec.commandLine().getOut().printf("carrier %s: records after a press: %s (through the running "
                        + "server)%n", carrierId, recordsAfterPress);
                return 0;
            }
            var record = running.call(spec, deployment.data(), (client, token) -> client.get(path, token));
            if (record == null) {
                return AwareCommand.CHECK_FAILED;
            }
            spec.commandLine().getOut().printf("carrier %s: records after a press: %s (through the running server)%n",
                    carrierId, yesNo(record.path("recordsAfterPress").asBoolean(false)));
            return 0;
        }
    }
}
