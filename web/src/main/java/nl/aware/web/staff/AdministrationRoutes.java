package nl.aware.web.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.admin.Administration;
import nl.aware.core.admin.AdministrationException;
import nl.aware.core.admin.DeviceRequest;
import nl.aware.core.admin.Handout;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.Pem;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The live acts on carriers and devices (docs/staff-api.md "Live administration"): JSON in, one call of
 * {@link Administration} (the one place for their rules, shared with the {@code aware} commands), its
 * refusal turned into 400/404/409/503. Every call is recorded in the access trail before it runs (the
 * route table says so); the act itself is the events it appends.
 */
final class AdministrationRoutes {
    private static final String[] PROFILE_TEXT = {"phone", "photoReference", "threat", "aggressor", "policeNotes"};
    static final String RECORDS_AFTER_PRESS = "recordsAfterPress";
    private static final String[] ELIGIBILITY = {"registeredAfterIntake", "livesInRegion", "agreesToFileReport",
            "realisticRisk", "noContactWithAggressor"};

    private final Administration administration;

    /** @param administration null when this server cannot act (then every act answers 503) */
    AdministrationRoutes(Administration administration) {
        this.administration = administration;
    }

    /** {@code POST /staff/v1/carriers}: 201 {@code {"carrierId"}}; 400 naming each bad field or unmet criterion. */
    CompletableFuture<StaffResponse> register(StaffRequest request) {
        ObjectNode body = request.json();
        List<String> problems = new ArrayList<>();
        Region region = null;
        JsonNode regionField = body.get("region");
        if (regionField == null || !regionField.isTextual()) {
            problems.add("field \"region\" (IJSSELLAND or TWENTE) is missing");
        } else {
            try {
                region = Region.parse(regionField.asText());
            } catch (IllegalArgumentException e) {
                problems.add("field \"region\": " + e.getMessage());
            }
        }
        boolean[] facts = new boolean[ELIGIBILITY.length];
        JsonNode eligibility = body.get("eligibility");
        if (eligibility == null || !eligibility.isObject()) {
            problems.add("field \"eligibility\" (an object with the five intake facts) is missing");
        } else {
            for (int i = 0; i < ELIGIBILITY.length; i++) {
                JsonNode fact = eligibility.get(ELIGIBILITY[i]);
                if (fact == null || !fact.isBoolean()) {
                    problems.add("field \"eligibility." + ELIGIBILITY[i] + "\" (true or false) is missing");
                } else {
                    facts[i] = fact.asBoolean();
                }
            }
        }
        CarrierProfile profile = profile(body, new CarrierProfile.Eligibility(facts[0], facts[1], facts[2], facts[3],
                facts[4]), problems);
        JsonNode consent = body.get(RECORDS_AFTER_PRESS);
        if (consent != null && !consent.isBoolean()) {
            problems.add("field \"" + RECORDS_AFTER_PRESS + "\" must be true or false (absent: false)");
        }
        if (!problems.isEmpty()) {
            throw StaffApiException.badRequest(String.join("; ", problems));
        }
        Region in = region;
        CarrierProfile withConsent = profile.withRecordsAfterPress(consent != null && consent.asBoolean());
        return call(administration().registerCarrier(in, withConsent).thenApply(carrierId -> StaffResponse.json(
                HttpResponseStatus.CREATED, StaffResponse.mapper().createObjectNode().put("carrierId", carrierId.toString()))));
    }

    /** {@code PUT /staff/v1/carriers/{carrierId}/profile}: 204; the intake's eligibility stays as registered. */
    CompletableFuture<StaffResponse> updateProfile(StaffRequest request) {
        UUID carrierId = carrierId(request);
        List<String> problems = new ArrayList<>();
        CarrierProfile profile = profile(request.json(), new CarrierProfile.Eligibility(true, true, true, true, true),
                problems);
        if (!problems.isEmpty()) {
            throw StaffApiException.badRequest(String.join("; ", problems));
        }
        return call(administration().updateProfile(carrierId, profile).thenApply(done -> StaffResponse.noContent()));
    }

    /**
     * {@code PUT /staff/v1/carriers/{carrierId}/recording-consent} {@code {"recordsAfterPress": true|false}}: 204.
     * Whether the carrier agrees that the device records by itself after a press (issue 14).
     */
    CompletableFuture<StaffResponse> recordingConsent(StaffRequest request) {
        UUID carrierId = carrierId(request);
        JsonNode consent = request.json().get(RECORDS_AFTER_PRESS);
        if (consent == null || !consent.isBoolean()) {
            throw StaffApiException.badRequest("field \"" + RECORDS_AFTER_PRESS + "\" (true or false) is missing");
        }
        return call(administration().setRecordingConsent(carrierId, consent.asBoolean())
                .thenApply(done -> StaffResponse.noContent()));
    }

    /** {@code POST /staff/v1/carriers/{carrierId}/end} {@code {"reason"}}: 204; its devices are revoked. */
    CompletableFuture<StaffResponse> end(StaffRequest request) {
        UUID carrierId = carrierId(request);
        String reason = StaffRequest.text(request.json(), "reason");
        return call(administration().endParticipation(carrierId, reason).thenApply(done -> StaffResponse.noContent()));
    }

    /** {@code POST /staff/v1/carriers/{carrierId}/devices} {@code {"deviceId", "csr"}} or {@code {"deviceId", "pkcs12": true}}: 201. */
    CompletableFuture<StaffResponse> handOut(StaffRequest request) {
        UUID carrierId = carrierId(request);
        ObjectNode body = request.json();
        long deviceId = deviceId(StaffRequest.text(body, "deviceId"), "deviceId");
        DeviceRequest how = deviceRequest(body);
        return call(administration().handOut(carrierId, deviceId, how).thenApply(AdministrationRoutes::created));
    }

    /** {@code POST /staff/v1/devices/{deviceId}/replace} {@code {"newDeviceId", "csr"|"pkcs12": true, "reason"?}}: 201. */
    CompletableFuture<StaffResponse> replace(StaffRequest request) {
        long oldDeviceId = deviceId(request.path("deviceId"), "the device id in the path");
        ObjectNode body = request.json();
        long newDeviceId = deviceId(StaffRequest.text(body, "newDeviceId"), "newDeviceId");
        DeviceRequest how = deviceRequest(body);
        JsonNode reason = body.get("reason");
        if (reason != null && !reason.isTextual()) {
            throw StaffApiException.badRequest("field \"reason\" must be a string");
        }
        return call(administration().replace(oldDeviceId, newDeviceId, how, reason == null ? null : reason.asText())
                .thenApply(AdministrationRoutes::created));
    }

    /** {@code POST /staff/v1/devices/{deviceId}/revoke} {@code {"reason"}}: 204; its open connection is closed. */
    CompletableFuture<StaffResponse> revoke(StaffRequest request) {
        long deviceId = deviceId(request.path("deviceId"), "the device id in the path");
        String reason = StaffRequest.text(request.json(), "reason");
        return call(administration().revoke(deviceId, reason).thenApply(done -> StaffResponse.noContent()));
    }

    private Administration administration() {
        if (administration == null) {
            throw new StaffApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "this server does not take administrative acts");
        }
        return administration;
    }

    private static StaffResponse created(Handout handout) {
        ObjectNode json = StaffResponse.mapper().createObjectNode().put("deviceId", DeviceIds.format(handout.deviceId()));
        if (handout.pkcs12() != null) {
            json.put("password", new String(handout.pkcs12Password()))
                    .put("pkcs12", Base64.getEncoder().encodeToString(handout.pkcs12()));
            java.util.Arrays.fill(handout.pkcs12Password(), '\0');
        } else {
            json.put("certificate", Pem.encode(handout.certificate()))
                    .put("caCertificate", Pem.encode(handout.caCertificate()));
        }
        return StaffResponse.json(HttpResponseStatus.CREATED, json);
    }

    private static DeviceRequest deviceRequest(ObjectNode body) {
        JsonNode csr = body.get("csr");
        JsonNode pkcs12 = body.get("pkcs12");
        boolean wantsPkcs12 = pkcs12 != null && pkcs12.isBoolean() && pkcs12.asBoolean();
        if (csr != null && wantsPkcs12) {
            throw StaffApiException.badRequest("send either \"csr\" or \"pkcs12\": true, not both");
        }
        if (csr != null) {
            if (!csr.isTextual()) {
                throw StaffApiException.badRequest("field \"csr\" must be the PEM text of a PKCS#10 request");
            }
            return new DeviceRequest.Csr(csr.asText());
        }
        if (wantsPkcs12) {
            return new DeviceRequest.Pkcs12();
        }
        throw StaffApiException.badRequest("field \"csr\" (PEM, the key made on the device) or \"pkcs12\": true is missing");
    }

    /** The profile fields of a body; each bad one is added to {@code problems}. */
    private static CarrierProfile profile(ObjectNode body, CarrierProfile.Eligibility eligibility, List<String> problems) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            problems.add("field \"name\" (the carrier's full name) is missing");
        }
        String[] texts = new String[PROFILE_TEXT.length];
        for (int i = 0; i < PROFILE_TEXT.length; i++) {
            JsonNode field = body.get(PROFILE_TEXT[i]);
            if (field != null && !field.isTextual() && !field.isNull()) {
                problems.add("field \"" + PROFILE_TEXT[i] + "\" must be a string");
            }
            texts[i] = field == null || !field.isTextual() ? "" : field.asText();
            if (texts[i].length() > CarrierProfile.MAX_FIELD) {
                problems.add("field \"" + PROFILE_TEXT[i] + "\" is longer than " + CarrierProfile.MAX_FIELD + " characters");
            }
        }
        if (name != null && name.isTextual() && name.asText().length() > CarrierProfile.MAX_FIELD) {
            problems.add("field \"name\" is longer than " + CarrierProfile.MAX_FIELD + " characters");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new CarrierProfile(name.asText(), texts[0], texts[1], texts[2], texts[3], texts[4], eligibility);
    }

    private static UUID carrierId(StaffRequest request) {
        String text = request.path("carrierId");
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equals(text)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw StaffApiException.badRequest("a carrier id is a UUID in lower case, e.g. 0b6f6c8e-3c55-4a8e-9a57-1f1c1f7b2a10");
    }

    /** A device id in canonical form (16 lower-case hex digits): stored and audited as written. */
    private static long deviceId(String text, String what) {
        try {
            long id = DeviceIds.parse(text);
            if (DeviceIds.format(id).equals(text)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw StaffApiException.badRequest(what + ": a device id is 16 lower-case hex digits, e.g. 00000000000004d2");
    }

    /** The act's refusal as an HTTP answer. */
    static CompletableFuture<StaffResponse> call(CompletableFuture<StaffResponse> act) {
        return act.exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof AdministrationException refused) {
                HttpResponseStatus status = switch (refused.kind()) {
                    case INVALID -> HttpResponseStatus.BAD_REQUEST;
                    case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
                    case CONFLICT -> HttpResponseStatus.CONFLICT;
                    case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
                };
                return CompletableFuture.failedFuture(new StaffApiException(status, refused.getMessage()));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
