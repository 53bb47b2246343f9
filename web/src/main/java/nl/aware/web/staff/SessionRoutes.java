package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.event.Event;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.Base32;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.staff.Permission;
import nl.aware.core.staff.RecoveryCodes;
import nl.aware.core.staff.Totp;
import nl.aware.core.state.StaffDirectory;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Sign-in in two steps (docs/staff-api.md "Second factor"): the password gives a challenge, the
 * second factor (a TOTP code, or a recovery code) answers it and opens the session. At the first
 * sign-in the challenge carries a new TOTP secret to enrol, confirmed by its first code. Every
 * attempt is in the access trail, whatever its outcome; a refused password does not say whether the
 * account exists, is disabled, or the password was wrong.
 */
final class SessionRoutes {
    static final String LOGIN = "session.login";
    /** The password step, recorded when right (a wrong one is a refused {@link #LOGIN}). */
    static final String PASSWORD_STEP = "session.password";
    static final String COOKIE = "aware_session";
    static final String ISSUER = "AWARE";
    private static final String REFUSED = "login refused: wrong account name or password, or the account is disabled";
    private static final String STALE = "this sign-in has expired or was already used: start again with your password";

    private final StaffDirectory directory;
    private final StaffSessions sessions;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final StaffAudit audit;
    private final LoginChallenges challenges;
    private final SecondFactorClaims claims;
    private final Clock clock;
    private final Duration idleTimeout;

    SessionRoutes(StaffDirectory directory, StaffSessions sessions, PasswordHasher hasher, LoginThrottle throttle,
                  StaffAudit audit, Clock clock, Duration idleTimeout) {
        this.directory = directory;
        this.sessions = sessions;
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.challenges = new LoginChallenges(clock);
        this.claims = new SecondFactorClaims(directory);
    }

    /**
     * {@code POST /staff/v1/login} {@code {"username", "password"}}: {@code {"next": "totp", "challenge"}}, or at
     * the first sign-in {@code {"next": "enrol", "challenge", "secret", "otpauthUri", "qrSvg"}}; 401/429 refused.
     */
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
        Optional<StaffApiException> throttled = throttled(username, source);
        if (throttled.isPresent()) {
            return refuse(recordedName, source, AccessOutcome.THROTTLED, throttled.get());
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
        // The throttle is cleared only by the whole sign-in: a known password must not buy free code guesses.
        Optional<StaffDirectory.SecondFactor> factor = directory.secondFactor(username);
        ObjectNode json = StaffResponse.mapper().createObjectNode();
        if (factor.isPresent()) {
            json.put("next", "totp").put("challenge", challenges.issue(username, LoginChallenges.Kind.TOTP,
                    account.get().passwordHash(), source, null));
        } else {
            byte[] secret = Totp.newSecret();
            String uri = Totp.otpauthUri(ISSUER, username, secret);
            json.put("next", "enrol").put("challenge", challenges.issue(username, LoginChallenges.Kind.ENROL,
                    account.get().passwordHash(), source, secret))
                    .put("secret", Base32.encode(secret)).put("otpauthUri", uri).put("qrSvg", QrSvg.of(uri));
        }
        return audit.record(username, source, PASSWORD_STEP, "", AccessOutcome.ALLOWED).handle((ignored, failure) -> {
            if (failure != null) {
                throw notRecorded();
            }
            return StaffResponse.ok(json);
        });
    }

    /** {@code POST /staff/v1/login/totp} {@code {"challenge", "code"}}: the session, or 401/429. */
    CompletableFuture<StaffResponse> totp(StaffRequest request) {
        return answer(request, "code", LoginChallenges.Kind.TOTP, this::totp);
    }

    private CompletableFuture<StaffResponse> totp(StaffRequest request, Answer answer) {
        String text = answer.challengeText();
        String code = answer.code();
        String username = answer.challenge().username();
        Optional<StaffDirectory.SecondFactor> factor = directory.secondFactor(username);
        OptionalLong step = factor.isEmpty() ? OptionalLong.empty()
                : Totp.verify(factor.get().secret(), code, clock.instant(), claims.lastStep(username));
        if (step.isEmpty() || !claims.claimStep(username, step.getAsLong()) || !challenges.answered(text)) {
            return wrongSecondFactor(text, username, request.source(), "wrong or already used code");
        }
        return audit.record(new Event.StaffSecondFactorUsed(username, step.getAsLong(), clock.millis()))
                .thenCompose(done -> open(username, request.source(), StaffResponse.mapper().createObjectNode()))
                .exceptionallyCompose(SessionRoutes::unrecorded);
    }

    /** {@code POST /staff/v1/login/recovery} {@code {"challenge", "recoveryCode"}}: as {@link #totp}, each code once. */
    CompletableFuture<StaffResponse> recovery(StaffRequest request) {
        return answer(request, "recoveryCode", LoginChallenges.Kind.TOTP, this::recovery);
    }

    private CompletableFuture<StaffResponse> recovery(StaffRequest request, Answer answer) {
        String text = answer.challengeText();
        String code = answer.code();
        String username = answer.challenge().username();
        Optional<StaffDirectory.SecondFactor> factor = directory.secondFactor(username);
        int index = factor.isEmpty() ? -1
                : RecoveryCodes.match(code, factor.get().recoveryHashes(), claims.claimedRecoveryCodes(username));
        if (index < 0 || !claims.claimRecoveryCode(username, index) || !challenges.answered(text)) {
            return wrongSecondFactor(text, username, request.source(), "wrong or already used recovery code");
        }
        int left = factor.get().recoveryCodesLeft() - 1;
        return audit.record(new Event.StaffRecoveryCodeUsed(username, index, clock.millis()))
                .thenCompose(done -> open(username, request.source(),
                        StaffResponse.mapper().createObjectNode().put("recoveryCodesLeft", left)))
                .exceptionallyCompose(SessionRoutes::unrecorded);
    }

    /**
     * {@code POST /staff/v1/login/enrol} {@code {"challenge", "code"}}: the first code of the new secret confirms
     * it; the secret is stored (sealed), ten recovery codes are made and shown this once, the session opens.
     */
    CompletableFuture<StaffResponse> enrol(StaffRequest request) {
        return answer(request, "code", LoginChallenges.Kind.ENROL, this::enrol);
    }

    private CompletableFuture<StaffResponse> enrol(StaffRequest request, Answer answer) {
        String text = answer.challengeText();
        String code = answer.code();
        LoginChallenges.Challenge challenge = answer.challenge();
        String username = challenge.username();
        if (directory.secondFactor(username).isPresent()) {
            challenges.answered(text);
            throw new StaffApiException(HttpResponseStatus.CONFLICT,
                    "a second factor was enrolled for this account meanwhile: start again with your password");
        }
        OptionalLong step = Totp.verify(challenge.pendingSecret(), code, clock.instant(), Long.MIN_VALUE);
        if (step.isEmpty() || !challenges.answered(text)) {
            return wrongSecondFactor(text, username, request.source(),
                    "that code does not belong to the secret shown: check the app's clock and try the next code");
        }
        List<String> recoveryCodes = RecoveryCodes.generate();
        claims.forget(username);
        claims.claimStep(username, step.getAsLong());
        Event.StaffSecondFactorEnrolled enrolled = new Event.StaffSecondFactorEnrolled(username,
                challenge.pendingSecret(), recoveryCodes.stream().map(RecoveryCodes::hash).toList(), step.getAsLong(),
                clock.millis());
        ObjectNode extra = StaffResponse.mapper().createObjectNode();
        ArrayNode shown = extra.putArray("recoveryCodes");
        recoveryCodes.forEach(shown::add);
        return audit.record(enrolled).thenCompose(done -> open(username, request.source(), extra))
                .exceptionallyCompose(SessionRoutes::unrecorded);
    }

    /** A second-factor answer whose challenge is live and whose account and address are not throttled. */
    private record Answer(String challengeText, String code, LoginChallenges.Challenge challenge) {
    }

    /**
     * The first steps of every answer to a sign-in challenge (a TOTP code, a recovery code, the enrolment's first
     * code): the challenge must be live and of its kind, and a throttled account or address is refused and filed
     * before the code is looked at.
     */
    private CompletableFuture<StaffResponse> answer(StaffRequest request, String codeField, LoginChallenges.Kind kind,
                                                    BiFunction<StaffRequest, Answer, CompletableFuture<StaffResponse>> then) {
        ObjectNode body = request.json();
        String text = StaffRequest.text(body, "challenge");
        String code = StaffRequest.text(body, codeField);
        LoginChallenges.Challenge challenge = live(text, kind, request.source());
        Optional<StaffApiException> throttled = throttled(challenge.username(), request.source());
        if (throttled.isPresent()) {
            return refuse(challenge.username(), request.source(), AccessOutcome.THROTTLED, throttled.get());
        }
        return then.apply(request, new Answer(text, code, challenge));
    }

    /** {@code GET /staff/v1/me}: who the session is and what the role may do (not recorded: nothing personal). */
    CompletableFuture<StaffResponse> me(StaffRequest request) {
        ObjectNode json = StaffResponse.mapper().createObjectNode().put("username", request.username())
                .put("role", request.session().role().label());
        ArrayNode permissions = json.putArray("permissions");
        request.session().role().permissions().stream().sorted().map(Permission::name).forEach(permissions::add);
        return CompletableFuture.completedFuture(StaffResponse.ok(json));
    }

    /** {@code POST /staff/v1/logout}: ends the caller's session (recorded by the route table) and clears the cookie. */
    CompletableFuture<StaffResponse> logout(StaffRequest request) {
        sessions.close(request.session());
        return CompletableFuture.completedFuture(StaffResponse.noContent()
                .withHeader("Set-Cookie", COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"));
    }

    /** The session, once the second factor is through: recorded, the throttle cleared, token and cookie handed out. */
    private CompletableFuture<StaffResponse> open(String username, String source, ObjectNode extra) {
        StaffDirectory.Account account = directory.find(username).filter(StaffDirectory.Account::enabled)
                .orElseThrow(() -> unauthorized());
        throttle.succeeded(username, source);
        StaffSessions.Issued issued = sessions.open(account);
        return audit.record(username, source, LOGIN, "", AccessOutcome.ALLOWED).handle((ignored, failure) -> {
            if (failure != null) {
                sessions.close(issued.session());
                throw notRecorded();
            }
            ObjectNode json = StaffResponse.mapper().createObjectNode()
                    .put("token", issued.token())
                    .put("username", username)
                    .put("role", issued.session().role().label())
                    .put("expiresAt", issued.expiresAt().toString())
                    .put("idleTimeoutSeconds", idleTimeout.toSeconds());
            json.setAll(extra);
            // The browser console keeps the session in this cookie (no script can read it); the CLI uses the token.
            return StaffResponse.ok(json).withHeader("Set-Cookie",
                    COOKIE + "=" + issued.token() + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        });
    }

    /** The challenge, live and still under the password it was issued with; 401 otherwise. */
    private LoginChallenges.Challenge live(String text, LoginChallenges.Kind kind, String source) {
        LoginChallenges.Challenge challenge = challenges.find(text, kind, source)
                .orElseThrow(() -> new StaffApiException(HttpResponseStatus.UNAUTHORIZED, STALE));
        boolean stillValid = directory.find(challenge.username()).filter(StaffDirectory.Account::enabled)
                .filter(a -> a.passwordHash().equals(challenge.passwordHash())).isPresent();
        if (!stillValid) {
            challenges.answered(text);
            throw new StaffApiException(HttpResponseStatus.UNAUTHORIZED, STALE);
        }
        return challenge;
    }

    private Optional<StaffApiException> throttled(String username, String source) {
        Duration wait = throttle.wait(username, source);
        if (wait.isZero()) {
            return Optional.empty();
        }
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        return Optional.of(new StaffApiException(HttpResponseStatus.TOO_MANY_REQUESTS,
                "too many failed logins: try again in " + seconds + " s"));
    }

    private CompletableFuture<StaffResponse> wrongSecondFactor(String challenge, String username, String source,
                                                               String message) {
        challenges.wrong(challenge);
        throttle.failed(username, source);
        return refuse(username, source, AccessOutcome.WRONG_SECOND_FACTOR,
                new StaffApiException(HttpResponseStatus.UNAUTHORIZED, "login refused: " + message));
    }

    private CompletableFuture<StaffResponse> refuse(String username, String source, AccessOutcome outcome,
                                                    StaffApiException answer) {
        return audit.record(username, source, LOGIN, "", outcome).handle((ignored, failure) -> {
            throw answer;
        });
    }

    private static CompletableFuture<StaffResponse> unrecorded(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StaffApiException api) {
            return CompletableFuture.failedFuture(api);
        }
        return CompletableFuture.failedFuture(notRecorded());
    }

    private static StaffApiException notRecorded() {
        return new StaffApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "login not recorded in the audit trail, so refused; retry");
    }

    private static StaffApiException unauthorized() {
        return new StaffApiException(HttpResponseStatus.UNAUTHORIZED, REFUSED);
    }
}
