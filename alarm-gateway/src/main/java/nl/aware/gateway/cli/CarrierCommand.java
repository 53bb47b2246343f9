package nl.aware.gateway.cli;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.LogLockedException;
import nl.aware.core.event.Region;
import nl.aware.core.store.EventStore;
import nl.aware.core.state.ServerState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Kadera's carrier registry on the command line: through the running server's staff API when one holds
 * the log, else recorded offline (like device enrolment). The profile
 * is sealed in the log with the data keys; nothing personal is printed back.
 */
@Command(name = "carrier", mixinStandardHelpOptions = true, description = "Register the people who carry an alarm.",
        subcommands = CarrierCommand.Register.class)
final class CarrierCommand {

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

        @Mixin
        RunningServer running;

        @Override
        public Integer call() throws Exception {
            deployment.data().requirePki();
            CarrierProfile profile;
            try {
                profile = new CarrierProfile(name, phone, photoReference, threat, aggressor, notes,
                        new CarrierProfile.Eligibility(intakeDone, livesInRegion, agreesToReport, realisticRisk, noContact));
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
            var answer = running.call(spec, deployment.data(), (client, token) -> client.post("/staff/v1/carriers", token, json));
            if (answer == null) {
                return AwareCommand.CHECK_FAILED;
            }
            spec.commandLine().getOut().printf("registered carrier %s in %s through the running server%n",
                    answer.path("carrierId").asText(), region.label());
            return 0;
        }
    }
}
