package nl.aware.dispatch.police;

import nl.aware.dispatch.work.DispatchItem;

import java.util.concurrent.CompletableFuture;

/** Kadera's route: device notices for staff, and escalations to the on-call worker. */
public final class KaderaCourier implements Courier {
    private final Endpoint endpoint;
    private final HttpsPoster poster;
    private final CarrierDirectory carriers;

    public KaderaCourier(Endpoint endpoint, HttpsPoster poster, CarrierDirectory carriers) {
        this.endpoint = endpoint;
        this.poster = poster;
        this.carriers = carriers;
    }

    @Override
    public CompletableFuture<Receipt> deliver(DispatchItem item, int attempt) {
        return poster.post(endpoint, "notices", item.itemId().toString(), PoliceMessages.notice(item));
    }

    /** Sends the alert to the on-call route; the idempotency key is the alert id. */
    public CompletableFuture<Receipt> escalate(DispatchItem alert, String reason) {
        return poster.post(endpoint, "escalations", alert.alertId().toString(),
                PoliceMessages.escalation(alert, carriers.profileOf(alert.deviceId()).orElse(null), reason));
    }

    /** Makes and checks the connection to Kadera's route at start-up (see {@link PoliceCourier#warmUp()}). */
    public CompletableFuture<PoliceCourier.Probe> warmUp() {
        return PoliceCourier.probe(poster, endpoint);
    }

    public String name() {
        return endpoint.name();
    }
}
