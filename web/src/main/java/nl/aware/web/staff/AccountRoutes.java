package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.staff.PasswordPolicy;
import nl.aware.core.state.StaffDirectory;
import nl.aware.core.staff.StaffRole;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Administrators' account management. Each change is an event in the log (and so in the trail),
 * answered once durable. Changes to one account run one at a time.
 */
final class AccountRoutes {
    private final StaffDirectory directory;
    private final StaffSessions sessions;
    private final PasswordHasher hasher;
    private final StaffAudit audit;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final Set<String> changing = new HashSet<>();

    AccountRoutes(StaffDirectory directory, StaffSessions sessions, PasswordHasher hasher, LoginThrottle throttle,
                  StaffAudit audit, Clock clock) {
        this.directory = directory;
        this.throttle = throttle;
        this.sessions = sessions;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code GET /staff/v1/accounts}: names, roles, state; never hashes. */
    CompletableFuture<StaffResponse> list(StaffRequest request) {
        ArrayNode accounts = StaffResponse.mapper().createArrayNode();
        for (StaffDirectory.Account account : directory.accounts()) {
            ObjectNode entry = accounts.addObject().put("username", account.username()).put("role", account.role().label())
                    .put("enabled", account.enabled()).put("createdAt", Instant.ofEpochMilli(account.createdAtMs()).toString())
                    .put("createdBy", account.createdBy());
            if (account.role() == StaffRole.OPERATOR) {
                directory.regionsOf(account.username()).stream().sorted()
                        .forEach(region -> entry.withArray("regions").add(region.label()));
            }
        }
        return CompletableFuture.completedFuture(StaffResponse.ok(
                StaffResponse.mapper().createObjectNode().set("accounts", accounts)));
    }

    /**
     * {@code POST /staff/v1/accounts} {@code {"username", "role", "password"}}: 201. An operator account also
     * names its regions, {@code "regions": ["ijsselland", ...]} (at least one); no other role has regions.
     */
    CompletableFuture<StaffResponse> create(StaffRequest request) {
        ObjectNode body = request.json();
        String username = StaffRequest.text(body, "username");
        String problem = StaffDirectory.invalidUsername(username);
        if (problem != null) {
            throw StaffApiException.badRequest(problem);
        }
        StaffRole role;
        try {
            role = StaffRole.parse(StaffRequest.text(body, "role"));
        } catch (IllegalArgumentException e) {
            throw StaffApiException.badRequest(e.getMessage());
        }
        Set<Region> regions = regions(body, role);
        char[] password = acceptablePassword(body, username);
        return exclusively(username, () -> {
            if (directory.find(username).isPresent()) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "account " + username + " exists already");
            }
            String hash = hash(password);
            // An operator's regions follow the account; until they are durable the operator sees no region at all.
            return audit.record(new Event.StaffAccountCreated(username, role, hash, request.username(), clock.millis()))
                    .thenCompose(done -> recordRegions(username, regions, request.username()))
                    .thenApply(done -> {
                        ObjectNode created = StaffResponse.mapper().createObjectNode().put("username", username)
                                .put("role", role.label());
                        if (!regions.isEmpty()) {
                            regions.stream().sorted().forEach(region -> created.withArray("regions").add(region.label()));
                        }
                        return StaffResponse.json(HttpResponseStatus.CREATED, created);
                    });
        });
    }

    /** {@code POST /staff/v1/accounts/{username}/disable}: 204; the account's sessions end. */
    CompletableFuture<StaffResponse> disable(StaffRequest request) {
        String username = request.path("username");
        return exclusively(username, () -> {
            StaffDirectory.Account account = existing(username);
            if (!account.enabled()) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "account " + username + " is disabled already");
            }
            if (account.role() == StaffRole.ADMINISTRATOR && directory.accounts().stream()
                    .filter(a -> a.enabled() && a.role() == StaffRole.ADMINISTRATOR).count() == 1) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT,
                        "account " + username + " is the last enabled administrator; create another one first");
            }
            return audit.record(new Event.StaffAccountDisabled(username, request.username(), clock.millis()))
                    .thenApply(done -> {
                        sessions.endAll(username);
                        return StaffResponse.noContent();
                    });
        });
    }

    /** {@code POST /staff/v1/accounts/{username}/password} {@code {"password"}}: 204; its sessions end. */
    CompletableFuture<StaffResponse> resetPassword(StaffRequest request) {
        String username = request.path("username");
        char[] password = acceptablePassword(request.json(), username);
        return exclusively(username, () -> {
            if (!existing(username).enabled()) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "account " + username + " is disabled");
            }
            if (directory.resets(username).secondFactorBy().equals(request.username())) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "you reset " + username + "'s second factor: "
                        + "another administrator must reset the password, so that no one can sign in as " + username);
            }
            String hash = hash(password);
            return audit.record(new Event.StaffPasswordChanged(username, hash, request.username(), clock.millis()))
                    .thenApply(done -> {
                        sessions.endAll(username);
                        return StaffResponse.noContent();
                    });
        });
    }

    /**
     * {@code POST /staff/v1/accounts/{username}/second-factor/reset}: 204; the account enrols a new second
     * factor at its next sign-in and its sessions end. Refused (409) to the administrator who reset or set
     * its password since it last enrolled: one person holding both would be able to sign in as the holder.
     */
    CompletableFuture<StaffResponse> resetSecondFactor(StaffRequest request) {
        String username = request.path("username");
        return exclusively(username, () -> {
            if (!existing(username).enabled()) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "account " + username + " is disabled");
            }
            if (directory.secondFactor(username).isEmpty()) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "account " + username
                        + " has no second factor yet: it enrols one at its next sign-in");
            }
            if (directory.resets(username).passwordBy().equals(request.username())) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "you set " + username + "'s password: "
                        + "another administrator must reset the second factor, so that no one can sign in as " + username);
            }
            return audit.record(new Event.StaffSecondFactorReset(username, request.username(), clock.millis()))
                    .thenApply(done -> {
                        sessions.endAll(username);
                        return StaffResponse.noContent();
                    });
        });
    }

    /**
     * {@code POST /staff/v1/password} {@code {"currentPassword", "newPassword"}}: the caller's own password.
     * 204, and every session of the account ends (this one too): log in again. A wrong current password
     * is 403, recorded, and counts towards the login throttle.
     */
    CompletableFuture<StaffResponse> changeOwnPassword(StaffRequest request) {
        ObjectNode body = request.json();
        String username = request.username();
        char[] current = StaffRequest.text(body, "currentPassword").toCharArray();
        char[] fresh = StaffRequest.text(body, "newPassword").toCharArray();
        String weakness = PasswordPolicy.weakness(fresh, username);
        if (weakness != null) {
            throw StaffApiException.badRequest(weakness);
        }
        return exclusively(username, () -> {
            boolean verified;
            try {
                verified = hasher.verify(current, existing(username).passwordHash());
            } finally {
                Arrays.fill(current, '\0');
            }
            if (!verified) {
                throttle.failed(username, request.source());
                return audit.record(username, request.source(), "account.password", username,
                        nl.aware.core.staff.AccessOutcome.WRONG_PASSWORD).handle((ignored, failure) -> {
                            throw new StaffApiException(HttpResponseStatus.FORBIDDEN, "the current password is wrong");
                        });
            }
            String hash = hash(fresh);
            return audit.record(new Event.StaffPasswordChanged(username, hash, username, clock.millis()))
                    .thenApply(done -> {
                        sessions.endAll(username);
                        return StaffResponse.noContent();
                    });
        });
    }

    private CompletableFuture<Void> recordRegions(String username, Set<Region> regions, String by) {
        if (regions.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return audit.record(new Event.OperatorRegionsSet(username, regions, by, clock.millis())).thenAccept(done -> { });
    }

    /** An operator's regions: required, known, for operators only. */
    private static Set<Region> regions(ObjectNode body, StaffRole role) {
        var given = body.get("regions");
        if (role != StaffRole.OPERATOR) {
            if (given != null) {
                throw StaffApiException.badRequest("only an operator account has regions");
            }
            return Set.of();
        }
        if (given == null || !given.isArray() || given.isEmpty()) {
            throw StaffApiException.badRequest("an operator account needs \"regions\": a list of ijsselland, twente");
        }
        Set<Region> regions = java.util.EnumSet.noneOf(Region.class);
        for (var item : given) {
            try {
                regions.add(Region.parse(item.asText()));
            } catch (IllegalArgumentException e) {
                throw StaffApiException.badRequest("regions: " + e.getMessage());
            }
        }
        return regions;
    }

    private StaffDirectory.Account existing(String username) {
        return directory.find(username).orElseThrow(() -> StaffApiException.notFound("no account " + username));
    }

    private static char[] acceptablePassword(ObjectNode body, String username) {
        char[] password = StaffRequest.text(body, "password").toCharArray();
        String weakness = PasswordPolicy.weakness(password, username);
        if (weakness != null) {
            throw StaffApiException.badRequest(weakness);
        }
        return password;
    }

    private String hash(char[] password) {
        try {
            return hasher.hash(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Runs one change of an account while no other change of it is in flight (check, then durable append). */
    private CompletableFuture<StaffResponse> exclusively(String username, Supplier<CompletableFuture<StaffResponse>> change) {
        synchronized (changing) {
            if (!changing.add(username)) {
                throw new StaffApiException(HttpResponseStatus.CONFLICT, "account " + username
                        + " is being changed by another request; retry");
            }
        }
        CompletableFuture<StaffResponse> result;
        try {
            result = change.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((response, failure) -> {
            synchronized (changing) {
                changing.remove(username);
            }
        });
    }
}
