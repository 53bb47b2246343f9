package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.state.CarrierRegistry;
import nl.aware.core.pki.DeviceIds;

import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Carrier records. The list holds no personal field (id, region, devices); one record in full is a
 * read of personal data, recorded in the trail before it is served (the route table says so).
 */
final class CarrierRoutes {
    private final CarrierRegistry carriers;

    CarrierRoutes(CarrierRegistry carriers) {
        this.carriers = carriers;
    }

    /** {@code GET /staff/v1/carriers}, optionally {@code ?region=ijsselland}. */
    CompletableFuture<StaffResponse> list(StaffRequest request) {
        Optional<String> region = request.query("region");
        ArrayNode list = StaffResponse.mapper().createArrayNode();
        carriers.all().stream().sorted(Comparator.comparing(c -> c.carrierId().toString()))
                .filter(c -> region.isEmpty() || c.region().label().equals(region.get()))
                .forEach(c -> summary(list.addObject(), c));
        return CompletableFuture.completedFuture(StaffResponse.ok(
                StaffResponse.mapper().createObjectNode().set("carriers", list)));
    }

    /** {@code GET /staff/v1/carriers/{carrierId}}: the full, decrypted record. */
    CompletableFuture<StaffResponse> one(StaffRequest request) {
        UUID carrierId = StaffIds.uuid(request.path("carrierId"), "carrierId");
        CarrierRegistry.Carrier carrier = carriers.find(carrierId)
                .orElseThrow(() -> StaffApiException.notFound("no carrier " + carrierId));
        ObjectNode json = StaffResponse.mapper().createObjectNode();
        summary(json, carrier);
        CarrierProfile p = carrier.profile();
        json.put("name", p.name()).put("phone", p.phone()).put("photoReference", p.photoReference())
                .put("threat", p.threatDescription()).put("aggressor", p.aggressorDescription())
                .put("policeNotes", p.policeNotes()).put("recordsAfterPress", p.recordsAfterPress());
        CarrierProfile.Eligibility e = p.eligibility();
        json.putObject("eligibility").put("registeredAfterIntake", e.registeredAfterIntake())
                .put("livesInRegion", e.livesInRegion()).put("agreesToFileReport", e.agreesToFileReport())
                .put("realisticRisk", e.realisticRisk()).put("noContactWithAggressor", e.noContactWithAggressor());
        return CompletableFuture.completedFuture(StaffResponse.ok(json));
    }

    private void summary(ObjectNode json, CarrierRegistry.Carrier carrier) {
        json.put("carrierId", carrier.carrierId().toString()).put("region", carrier.region().label());
        ArrayNode devices = json.putArray("devices");
        carriers.devicesOf(carrier.carrierId()).forEach(id -> devices.add(DeviceIds.format(id)));
    }
}
