package nl.aware.dispatch.police;

import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.WorkKind;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A region's police endpoints: the primary, and the secondary it fails over to. Attempts go to the
 * endpoint that answered last; a failure switches all following attempts to the other one, so a dead
 * primary costs one failed attempt, not one per alert.
 */
public final class PoliceCourier implements Courier {
    private final Endpoint primary;
    private final Endpoint secondary;
    private final HttpsPoster poster;
    private final CarrierDirectory carriers;
    private final AtomicReference<Endpoint> current;

    public PoliceCourier(Endpoint primary, Endpoint secondary, HttpsPoster poster, CarrierDirectory carriers) {
        this.primary = primary;
        this.secondary = secondary;
        this.poster = poster;
        this.carriers = carriers;
        this.current = new AtomicReference<>(primary);
    }

    @Override
    public CompletableFuture<Receipt> deliver(DispatchItem item, int attempt) {
        Endpoint endpoint = current.get();
        CompletableFuture<Receipt> sent;
        if (item.kind() == WorkKind.NEW_ALERT || item.kind() == WorkKind.TEST_ALERT) {
            sent = poster.post(endpoint, "alerts", item.alertId().toString(),
                    PoliceMessages.alert(item, carriers.profileOf(item.deviceId()).orElse(null)));
        } else {
            sent = poster.post(endpoint, "alerts/" + item.alertId() + "/updates", item.itemId().toString(),
                    PoliceMessages.update(item));
        }
        return sent.whenComplete((receipt, failure) -> {
            if (failure != null && secondary != null) {
                current.compareAndSet(endpoint, endpoint == primary ? secondary : primary);
            }
        });
    }

    @Override
    public boolean switchedFrom(String failedTarget) {
        return secondary != null && !current.get().name().equals(failedTarget);
    }
}
