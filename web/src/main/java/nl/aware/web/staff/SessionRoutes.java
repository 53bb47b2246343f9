package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.state.StaffDirectory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Login and logout. Every login attempt is in the access trail, whatever its outcome; the answer to
 * a refused login does not say whether the account exists, is disabled, or the password was wrong.
 */
final class SessionRoutes {
    static final String LOGIN = "session.login";
    private static final String REFUSED = "login refused: wrong account name or password, or the account is disabled";

    private final StaffDirectory directory;
    private final StaffSessions sessions;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final StaffAudit audit;
    private final Duration idleTimeout;

    SessionRoutes(StaffDirectory directory, StaffSessions sessions, PasswordHasher hasher, LoginThrottle throttle,
                  StaffAudit audit, Duration idleTimeout) {
        this.directory = directory;
        this.sessions = sessions;
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
        this.idleTimeout = idleTimeout;
    }

    /** {@code POST /staff/v1/login} {@code {"username", "password"}}: a bearer token, or 401/429. */
    CompletableFuture<StaffResponse> login(StaffRequest request) {
        ObjectNode body = request.json();
        String username = StaffRequest.text(body, "username");
        char[] password = StaffRequest.text(body, "password").toCharArray();
        try {
            return login(username, password, request.source());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private CompletableFuture<StaffResponse> login(String username, char[] password, String source) {
        Optional<StaffDirectory.Account> account = StaffDirectory.invalidUsername(username) == null
                ? directory.find(username) : Optional.empty();
        // A name that is no account is not recorded: people type their password into the name field.
        String recordedName = account.isPresent() ? username : "";
        Duration wait = throttle.wait(username, source);
        if (!wait.isZero()) {
            long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
            return refuse(recordedName, source, AccessOutcome.THROTTLED, new StaffApiException(
                    HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed logins: try again in " + seconds + " s"));
        }
        if (account.isEmpty()) {
            hasher.verifyNothing(password);
            throttle.failed(username, source);
            return refuse("", source, AccessOutcome.UNKNOWN_ACCOUNT, unauthorized());
        }
        if (!hasher.verify(password, account.get().passwordHash())) {
            throttle.failed(username, source);
            return refuse(username, source, AccessOutcome.WRONG_PASSWORD, unauthorized());
        }
        if (!account.get().enabled()) {
            return refuse(username, source, AccessOutcome.ACCOUNT_DISABLED, unauthorized());
        }
        throttle.succeeded(username, source);
        StaffSessions.Issued issued = sessions.open(account.get());
        return audit.record(username, source, LOGIN, "", AccessOutcome.ALLOWED).handle((ignored, failure) -> {
            if (failure != null) {
                sessions.close(issued.session());
                throw new StaffApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "login not recorded in the audit trail, so refused; retry");
            }
            ObjectNode json = StaffResponse.mapper().createObjectNode()
                    .put("token", issued.token())
                    .put("username", username)
                    .put("role", issued.session().role().label())
                    .put("expiresAt", issued.expiresAt().toString())
                    .put("idleTimeoutSeconds", idleTimeout.toSeconds());
            return StaffResponse.ok(json);
        });
    }

    /** {@code POST /staff/v1/logout}: ends the caller's session (recorded by the route table). */
    CompletableFuture<StaffResponse> logout(StaffRequest request) {
        sessions.close(request.session());
        return CompletableFuture.completedFuture(StaffResponse.noContent());
    }

    private CompletableFuture<StaffResponse> refuse(String username, String source, AccessOutcome outcome,
                                                    StaffApiException answer) {
        return audit.record(username, source, LOGIN, "", outcome).handle((ignored, failure) -> {
            throw answer;
        });
    }

    private static StaffApiException unauthorized() {
        return new StaffApiException(HttpResponseStatus.UNAUTHORIZED, REFUSED);
    }
}
