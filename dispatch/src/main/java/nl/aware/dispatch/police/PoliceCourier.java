package nl.aware.dispatch.police;

import nl.aware.core.concurrent.Futures;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.Priority;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A region's police endpoints: the primary, and the secondary it fails over to. Attempts go to the
 * endpoint that answered last; a failure switches all following attempts to the other one, so a dead
 * primary costs one failed attempt, not one per alert.
 *
 * <p>PANIC work has HTTP connections of its own ({@code urgent}): with HTTP/1.1 a request needs an idle
 * connection, and when routine work keeps every connection busy a PANIC would otherwise wait for a new
 * TLS handshake. The slots the dispatcher keeps for PANIC work are matched by connections kept for it.
 */
public final class PoliceCourier implements Courier {
    private final Endpoint primary;
    private final Endpoint secondary;
    private final HttpsPoster urgent;
    private final HttpsPoster routine;
    private final CarrierDirectory carriers;
    private final AtomicReference<Endpoint> current;

    public PoliceCourier(Endpoint primary, Endpoint secondary, HttpsPoster urgent, HttpsPoster routine,
                         CarrierDirectory carriers) {
        this.primary = primary;
        this.secondary = secondary;
        this.urgent = urgent;
        this.routine = routine;
        this.carriers = carriers;
        this.current = new AtomicReference<>(primary);
    }

    @Override
    public CompletableFuture<Receipt> deliver(DispatchItem item, int attempt) {
        Endpoint endpoint = current.get();
        HttpsPoster poster = item.priority() == Priority.PANIC ? urgent : routine;
        CompletableFuture<Receipt> sent;
        if (item.kind().opensAlert()) {
            sent = poster.post(endpoint, "alerts", item.alertId().toString(),
                    PoliceMessages.alert(item, carriers.profileOf(item.deviceId()).orElse(null)));
        } else {
            sent = poster.post(endpoint, "alerts/" + item.alertId() + "/updates", item.itemId().toString(),
                    PoliceMessages.update(item));
        }
        return sent.whenComplete((receipt, failure) -> {
            if (secondary == null) {
                return;
            }
            if (failure == null) {
                current.set(endpoint); // the next attempts follow the endpoint that answered last
            } else {
                current.compareAndSet(endpoint, endpoint == primary ? secondary : primary);
            }
        });
    }

    /**
     * Makes and checks the connections a first PANIC would otherwise have to open (TLS handshake and all):
     * one per poster and endpoint. Completes when every probe has an outcome; never exceptionally.
     */
    public CompletableFuture<List<Probe>> warmUp() {
        List<CompletableFuture<Probe>> probes = new ArrayList<>();
        for (Endpoint endpoint : secondary == null ? List.of(primary) : List.of(primary, secondary)) {
            probes.add(probe(urgent, endpoint));
            probes.add(probe(routine, endpoint));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(done -> probes.stream().map(CompletableFuture::join).toList());
    }

    /** The outcome of one start-up check: the HTTP status, or the reason the endpoint could not be reached. */
    public record Probe(String target, int status, String problem) {
        public boolean reachable() {
            return problem == null;
        }
    }

    static CompletableFuture<Probe> probe(HttpsPoster poster, Endpoint endpoint) {
        return poster.probe(endpoint).handle((status, failure) -> {
            if (failure == null) {
                return new Probe(endpoint.name(), status, null);
            }
            Throwable cause = Futures.cause(failure);
            return new Probe(endpoint.name(), 0, cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        });
    }

    @Override
    public boolean switchedFrom(String failedTarget) {
        return secondary != null && !current.get().name().equals(failedTarget);
    }
}
