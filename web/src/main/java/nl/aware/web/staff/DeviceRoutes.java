package nl.aware.web.staff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.state.CarrierRegistry;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.monitoring.supervision.DeviceStatus;
import nl.aware.monitoring.supervision.DeviceSupervisor;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Device status for staff: enrolment, region, carrier id, supervision. No personal data. */
final class DeviceRoutes {
    private static final int BATTERY_UNKNOWN = 0xFF;

    private final DeviceRegistry devices;
    private final CarrierRegistry carriers;
    private final DeviceSupervisor supervisor;

    DeviceRoutes(DeviceRegistry devices, CarrierRegistry carriers, DeviceSupervisor supervisor) {
        this.devices = devices;
        this.carriers = carriers;
        this.supervisor = supervisor;
    }

    /** {@code GET /staff/v1/devices}, optionally {@code ?region=twente} or {@code ?offline=true}. */
    CompletableFuture<StaffResponse> list(StaffRequest request) {
        Optional<String> region = request.query("region");
        boolean offlineOnly = request.query("offline").map(Boolean::parseBoolean).orElse(false);
        ArrayNode list = StaffResponse.mapper().createArrayNode();
        devices.all().stream().sorted(Comparator.comparing(d -> DeviceIds.format(d.deviceId())))
                .filter(d -> region.isEmpty() || d.region().label().equals(region.get()))
                .map(this::describe)
                .filter(json -> !offlineOnly || json.path("offline").asBoolean(false))
                .forEach(list::add);
        return CompletableFuture.completedFuture(StaffResponse.ok(
                StaffResponse.mapper().createObjectNode().set("devices", list)));
    }

    /** {@code GET /staff/v1/devices/{deviceId}}. */
    CompletableFuture<StaffResponse> one(StaffRequest request) {
        long deviceId = StaffIds.device(request.path("deviceId"));
        DeviceRegistry.Device device = devices.find(deviceId)
                .orElseThrow(() -> StaffApiException.notFound("no enrolled device " + DeviceIds.format(deviceId)));
        return CompletableFuture.completedFuture(StaffResponse.ok(describe(device)));
    }

    private ObjectNode describe(DeviceRegistry.Device device) {
        ObjectNode json = StaffResponse.mapper().createObjectNode()
                .put("deviceId", DeviceIds.format(device.deviceId()))
                .put("region", device.region().label())
                .put("status", device.revoked() ? "revoked" : "enrolled")
                .put("certificateExpires", device.certificate().getNotAfter().toInstant().toString());
        carriers.ofDevice(device.deviceId()).ifPresentOrElse(
                c -> json.put("carrierId", c.carrierId().toString()), () -> json.putNull("carrierId"));
        Optional<DeviceStatus> status = supervisor.status(device.deviceId());
        json.put("supervised", status.isPresent());
        status.ifPresent(s -> {
            json.put("lastSeen", Instant.ofEpochMilli(s.lastSeenMs()).toString());
            json.put("offline", s.offline());
            if (s.batteryPercent() == BATTERY_UNKNOWN) {
                json.putNull("batteryPercent");
            } else {
                json.put("batteryPercent", s.batteryPercent());
            }
        });
        return json;
    }
}
