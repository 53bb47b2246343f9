package nl.aware.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.pki.DeviceIds;
import nl.aware.gateway.StaffBootstrap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code aware staff}: the staff API on the command line. Every command but {@code bootstrap} is an
 * HTTPS client of a running server: it logs in, does one thing, and logs out, so the server's role
 * checks and access trail apply exactly as for the web console. Exit 1 when the server refuses.
 */
@Command(name = "staff", mixinStandardHelpOptions = true,
        description = "Kadera staff access: accounts, devices, carrier records, alerts and their reports and evidence, "
                + "the access trail (docs/staff-api.md).",
        subcommands = {StaffCommand.Bootstrap.class, StaffCommand.Password.class, StaffCommand.Accounts.class,
                StaffCommand.Devices.class, StaffCommand.Carriers.class, StaffCommand.Alerts.class,
                StaffCommand.Audit.class})
final class StaffCommand {
    static final String NEW_PASSWORD_ENV = "AWARE_STAFF_NEW_PASSWORD";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
            description = "Create the first administrator, server stopped: writes the account into the log. Refused "
                    + "once an administrator exists. Password: --password-stdin, $" + NEW_PASSWORD_ENV + ", or a prompt.")
    static final class Bootstrap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Deployment deployment;

        @Option(names = {"-u", "--user"}, required = true, paramLabel = "NAME", description = "The administrator's account name.")
        String user;

        @Option(names = "--password-stdin", description = "Read the new password from standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            char[] password = new PasswordInput(spec.commandLine()).secret(passwordStdin, NEW_PASSWORD_ENV,
                    "New password for " + user + ": ", true);
            try {
                StaffBootstrap.createFirstAdministrator(deployment.data(), deployment.keys(), user, password, Clock.systemUTC());
            } finally {
                Arrays.fill(password, '\0');
            }
            // Enrolment is deferred to the first sign-in: the secret is then made by the running server and
            // shown only to whoever holds the password, never printed here into a shell's scroll-back.
            spec.commandLine().getOut().printf("administrator %s created; start the server and sign in: the first "
                    + "sign-in enrols your authenticator app (TOTP) and shows your recovery codes%n", user);
            return 0;
        }
    }

    /** One authenticated call: log in, {@link #run}, log out. */
    abstract static class Call implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StaffConnection connection;

        @Option(names = "--json", description = "Print the server's JSON answer as is.")
        boolean json;

        PasswordInput input;
        /** The password logged in with, until the command ends (changing it needs it again). */
        char[] loginPassword;

        @Override
        public final Integer call() throws Exception {
            input = new PasswordInput(spec.commandLine());
            StaffClient client = connection.client();
            loginPassword = connection.password(input);
            try {
                return loggedIn(client);
            } finally {
                Arrays.fill(loginPassword, '\0');
            }
        }

        private int loggedIn(StaffClient client) throws Exception {
            String token;
            try {
                token = client.login(connection.user, loginPassword,
                        connection.secondFactor(input, spec.commandLine().getErr()));
            } catch (StaffClient.StaffClientException refused) {
                return refused(refused.getMessage(), refused.status());
            }
            try {
                StaffClient.Reply reply = run(client, token);
                if (reply.status() >= 400) {
                    return refused(reply.error(), reply.status());
                }
                return output(reply);
            } finally {
                logout(client, token);
            }
        }

        /** A failed logout does not undo what was done; the session then ends by its idle timeout. */
        private void logout(StaffClient client, String token) throws InterruptedException {
            try {
                StaffClient.Reply reply = client.post("/staff/v1/logout", token, null);
                if (reply.status() != 204 && reply.status() != 401) { // 401: the session has ended already
                    spec.commandLine().getErr().printf("%s: logout refused (HTTP %d): %s; the session ends by itself "
                            + "when idle%n", spec.qualifiedName(), reply.status(), reply.error());
                }
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().printf("%s: logout failed: %s; the session ends by itself when idle%n",
                        spec.qualifiedName(), e.getMessage());
            }
        }

        abstract StaffClient.Reply run(StaffClient client, String token) throws Exception;

        /** What to do with an accepted answer: print its JSON (as is with --json). Returns the exit code. */
        int output(StaffClient.Reply reply) throws Exception {
            if (json) {
                out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reply.body()));
            } else {
                print(reply.body());
            }
            return 0;
        }

        /** Human-readable output; JSON by default. */
        void print(JsonNode body) throws Exception {
            if (!body.isEmpty()) {
                out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        private int refused(String message, int status) {
            spec.commandLine().getErr().printf("%s: refused by the server (HTTP %d): %s%n",
                    spec.qualifiedName(), status, message);
            return AwareCommand.CHECK_FAILED;
        }

        static String query(Map<String, Object> parameters) {
            String joined = parameters.entrySet().stream().filter(e -> e.getValue() != null)
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return joined.isEmpty() ? "" : "?" + joined;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true, description = "Change your own password; all your "
            + "sessions end. The new one: the next line of standard input with --new-password-stdin, $"
            + NEW_PASSWORD_ENV + ", or a prompt.")
    static final class Password extends Call {
        @Option(names = "--new-password-stdin", description = "Read the new password from standard input "
                + "(after your current one, if --password-stdin too).")
        boolean newPasswordStdin;

        @Override
        StaffClient.Reply run(StaffClient client, String token) throws Exception {
            char[] fresh = input.secret(newPasswordStdin, NEW_PASSWORD_ENV, "New password: ", true);
            ObjectNode body = JSON.createObjectNode().put("currentPassword", new String(loginPassword))
                    .put("newPassword", new String(fresh));
            Arrays.fill(fresh, '\0');
            return client.post("/staff/v1/password", token, body);
        }

        @Override
        void print(JsonNode body) {
            out().printf("password changed; log in again with the new one%n");
        }
    }

    @Command(name = "accounts", mixinStandardHelpOptions = true, description = "Staff accounts (administrators).",
            subcommands = {Accounts.List.class, Accounts.Create.class, Accounts.Disable.class, Accounts.ResetPassword.class})
    static final class Accounts {
        @Command(name = "list", mixinStandardHelpOptions = true, description = "Every account with its role and state.")
        static final class List extends Call {
            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                return client.get("/staff/v1/accounts", token);
            }

            @Override
            void print(JsonNode body) {
                body.path("accounts").forEach(a -> out().printf("%-24s %-13s %-8s created %s by %s%n",
                        a.path("username").asText(), a.path("role").asText(),
                        a.path("enabled").asBoolean() ? "enabled" : "DISABLED", a.path("createdAt").asText(),
                        a.path("createdBy").asText()));
            }
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an account. Its password: "
                + "the next line of standard input with --new-password-stdin, $" + NEW_PASSWORD_ENV + ", or a prompt.")
        static final class Create extends Call {
            @Parameters(paramLabel = "NAME", description = "Account name: lower-case letters, digits, '.', '_', '-'.")
            String name;

            @Option(names = "--role", required = true, description = "staff, auditor or administrator.")
            String role;

            @Option(names = "--new-password-stdin", description = "Read the new password from standard input "
                    + "(after your own, if --password-stdin too).")
            boolean newPasswordStdin;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                char[] password = input.secret(newPasswordStdin, NEW_PASSWORD_ENV, "New password for " + name + ": ", true);
                ObjectNode body = JSON.createObjectNode().put("username", name).put("role", role)
                        .put("password", new String(password));
                Arrays.fill(password, '\0');
                return client.post("/staff/v1/accounts", token, body);
            }

            @Override
            void print(JsonNode body) {
                out().printf("account %s created with role %s%n", body.path("username").asText(), body.path("role").asText());
            }
        }

        @Command(name = "disable", mixinStandardHelpOptions = true,
                description = "Disable an account for good; its sessions end at once.")
        static final class Disable extends Call {
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                return client.post("/staff/v1/accounts/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/disable",
                        token, null);
            }

            @Override
            void print(JsonNode body) {
                out().printf("account %s disabled%n", name);
            }
        }

        @Command(name = "reset-password", mixinStandardHelpOptions = true,
                description = "Set a new password for an account (hand it over in person); its sessions end.")
        static final class ResetPassword extends Call {
            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--new-password-stdin", description = "Read the new password from standard input.")
            boolean newPasswordStdin;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                char[] password = input.secret(newPasswordStdin, NEW_PASSWORD_ENV, "New password for " + name + ": ", true);
                ObjectNode body = JSON.createObjectNode().put("password", new String(password));
                Arrays.fill(password, '\0');
                return client.post("/staff/v1/accounts/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/password",
                        token, body);
            }

            @Override
            void print(JsonNode body) {
                out().printf("password of %s reset; its sessions ended%n", name);
            }
        }
    }

    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "Device status: enrolled or revoked, region, carrier id, last seen, battery.")
    static final class Devices extends Call {
        @Parameters(arity = "0..1", paramLabel = "DEVICE_ID", description = "One device (16 hex digits); all when absent.")
        String deviceId;

        @Option(names = "--region", description = "Only devices of this region.")
        String region;

        @Option(names = "--offline", description = "Only devices reported offline.")
        boolean offline;

        @Override
        StaffClient.Reply run(StaffClient client, String token) throws Exception {
            if (deviceId != null) {
                try {
                    return client.get("/staff/v1/devices/" + DeviceIds.format(DeviceIds.parse(deviceId)), token);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("region", region);
            query.put("offline", offline ? "true" : null);
            return client.get("/staff/v1/devices" + query(query), token);
        }

        @Override
        void print(JsonNode body) {
            if (deviceId != null) {
                line(body);
            } else {
                body.path("devices").forEach(this::line);
            }
        }

        private void line(JsonNode d) {
            out().printf("%s %-10s %-8s carrier %-36s last seen %-24s %s battery %s%n", d.path("deviceId").asText(),
                    d.path("region").asText(), d.path("status").asText(), d.path("carrierId").asText("-"),
                    d.path("lastSeen").asText("-"), d.path("offline").asBoolean(false) ? "OFFLINE" : "online ",
                    d.path("batteryPercent").isNumber() ? d.path("batteryPercent").asInt() + "%" : "?");
        }
    }

    @Command(name = "carriers", mixinStandardHelpOptions = true,
            description = "The carrier list (no personal fields), or one carrier's full record (recorded in the access trail).")
    static final class Carriers extends Call {
        @Parameters(arity = "0..1", paramLabel = "CARRIER_ID", description = "One carrier's full record; the list when absent.")
        String carrierId;

        @Option(names = "--region", description = "Only carriers of this region.")
        String region;

        @Override
        StaffClient.Reply run(StaffClient client, String token) throws Exception {
            if (carrierId != null) {
                try {
                    return client.get("/staff/v1/carriers/" + UUID.fromString(carrierId), token);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "CARRIER_ID is a UUID, got '"
                            + carrierId + "'");
                }
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("region", region);
            return client.get("/staff/v1/carriers" + query(query), token);
        }

        @Override
        void print(JsonNode body) throws Exception {
            if (carrierId != null) {
                super.print(body);
                return;
            }
            body.path("carriers").forEach(c -> out().printf("%s %-10s devices %s%n", c.path("carrierId").asText(),
                    c.path("region").asText(), c.path("devices").toString()));
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = "Alerts: the list, one alert's timeline, its follow-up report, its evidence bundle. Every "
                    + "call is recorded in the access trail.",
            subcommands = {Alerts.List.class, Alerts.Show.class, Alerts.Report.class, Alerts.Evidence.class})
    static final class Alerts {
        @Command(name = "list", mixinStandardHelpOptions = true, description = "Alerts, newest first, filtered.")
        static final class List extends Call {
            @Option(names = "--carrier", paramLabel = "UUID", description = "Only this carrier's alerts.")
            String carrier;

            @Option(names = "--device", paramLabel = "HEX16", description = "Only this device's alerts.")
            String device;

            @Option(names = "--region", description = "ijsselland or twente.")
            String region;

            @Option(names = "--from", paramLabel = "INSTANT", description = "Pressed at or after (ISO-8601, e.g. 2026-11-25T08:00:00Z).")
            String from;

            @Option(names = "--to", paramLabel = "INSTANT", description = "Pressed before.")
            String to;

            @Option(names = "--type", description = "real or test.")
            String type;

            @Option(names = "--state", description = "raised, delivered, acknowledged, verified, unit-dispatched, on-scene or closed.")
            String state;

            @Option(names = "--open", description = "Only alerts not closed yet.")
            boolean open;

            @Option(names = "--limit", defaultValue = "100", description = "At most this many, 1..1000 (default: ${DEFAULT-VALUE}).")
            int limit;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("carrier", carrier);
                query.put("device", device);
                query.put("region", region);
                query.put("from", from);
                query.put("to", to);
                query.put("type", type);
                query.put("state", state);
                query.put("closed", open ? "false" : null);
                query.put("limit", limit);
                return client.get("/staff/v1/alerts" + query(query), token);
            }

            @Override
            void print(JsonNode body) {
                body.path("alerts").forEach(a -> out().printf("%s %-24s %-10s %-4s %-15s device %s presses %d%s%n",
                        a.path("alertId").asText(), a.path("pressTime").asText(), a.path("region").asText(),
                        a.path("type").asText(), a.path("state").asText(), a.path("deviceId").asText(),
                        a.path("presses").asInt(), a.path("escalated").asBoolean() ? " escalated" : ""));
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true,
                description = "One alert's full timeline (JSON): presses, track, deliveries, escalations, lifecycle, verification.")
        static final class Show extends Call {
            @Parameters(paramLabel = "ALERT_ID", description = "The alert id (the event id of the press).")
            String alertId;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                return client.get("/staff/v1/alerts/" + alertId(spec, alertId), token);
            }
        }

        @Command(name = "report", mixinStandardHelpOptions = true,
                description = "Write one alert's follow-up report (docs/reports.md) to a new file.")
        static final class Report extends Call {
            @Parameters(paramLabel = "ALERT_ID", description = "The alert id (the event id of the press).")
            String alertId;

            @Option(names = "--lang", defaultValue = "nl", description = "nl or en (default: ${DEFAULT-VALUE}).")
            String language;

            @Option(names = "--format", defaultValue = "pdf", description = "html or pdf (default: ${DEFAULT-VALUE}).")
            String format;

            @Option(names = "--out", required = true, paramLabel = "FILE", description = "The new file; never overwritten.")
            Path file;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("lang", language);
                query.put("format", format);
                requireNew(file);
                return client.get("/staff/v1/alerts/" + alertId(spec, alertId) + "/report" + query(query), token);
            }

            @Override
            int output(StaffClient.Reply reply) throws Exception {
                return writeNew(this, file, reply.bytes(), "report");
            }
        }

        @Command(name = "evidence", mixinStandardHelpOptions = true,
                description = "Write one alert's evidence bundle (a zip; docs/evidence.md) to a new file (auditors).")
        static final class Evidence extends Call {
            @Parameters(paramLabel = "ALERT_ID", description = "The alert id (the event id of the press).")
            String alertId;

            @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "The new file; never overwritten.")
            Path file;

            @Override
            StaffClient.Reply run(StaffClient client, String token) throws Exception {
                requireNew(file);
                return client.post("/staff/v1/alerts/" + alertId(spec, alertId) + "/evidence", token, null);
            }

            @Override
            int output(StaffClient.Reply reply) throws Exception {
                return writeNew(this, file, reply.bytes(), "evidence bundle (verify it with `aware log verify-bundle`)");
            }
        }

        static UUID alertId(CommandSpec spec, String text) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "ALERT_ID is a UUID, got '" + text + "'");
            }
        }

        /** Refused before anything is asked of the server: a report read is recorded, so do not read in vain. */
        static void requireNew(Path file) throws FileAlreadyExistsException {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "exists");
            }
        }

        static int writeNew(Call call, Path file, byte[] bytes, String what) throws java.io.IOException {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            call.out().printf("%s written to %s (%d bytes)%n", what, file, bytes.length);
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "The access trail (auditors): who read or was refused what, newest first.")
    static final class Audit extends Call {
        @Option(names = "--by", paramLabel = "NAME", description = "Only this staff member's entries.")
        String by;

        @Option(names = "--subject", paramLabel = "ID", description = "Only entries about this carrier, alert or account.")
        String subject;

        @Option(names = "--action", description = "Only this action, e.g. carrier.read, session.login.")
        String action;

        @Option(names = "--outcome", description = "allowed or denied.")
        String outcome;

        @Option(names = "--from", paramLabel = "INSTANT", description = "From this time (ISO-8601, e.g. 2026-11-25T08:00:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "INSTANT", description = "Before this time.")
        String to;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many, 1..1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        StaffClient.Reply run(StaffClient client, String token) throws Exception {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("user", by);
            query.put("subject", subject);
            query.put("action", action);
            query.put("outcome", outcome);
            query.put("from", from);
            query.put("to", to);
            query.put("limit", limit);
            return client.get("/staff/v1/audit/access" + query(query), token);
        }

        @Override
        void print(JsonNode body) {
            body.path("entries").forEach(e -> out().printf("%-24s %-16s %-18s %-38s %-16s from %s%n",
                    e.path("at").asText(), e.path("user").asText().isEmpty() ? "-" : e.path("user").asText(),
                    e.path("action").asText(), e.path("subject").asText().isEmpty() ? "-" : e.path("subject").asText(),
                    e.path("outcome").asText(), e.path("source").asText().isEmpty() ? "-" : e.path("source").asText()));
        }
    }
}
