package nl.aware.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.concurrent.Futures;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.intake.EventRecorder;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.HttpsPoster;
import nl.aware.dispatch.police.KaderaCourier;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.dispatch.police.PoliceCourier;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.dispatch.work.Priority;
import nl.aware.dispatch.work.WorkKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends durable work to the police and to Kadera: one {@link RegionDispatcher} per region, and the
 * escalation watch that goes to Kadera's on-call route when the police have not accepted an alert in
 * time (and keeps trying the police).
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DispatchProjection projection;
    private final EventRecorder recorder;
    private final DispatchLimits limits;
    private final DispatchMetrics metrics;
    private final Clock clock;
    private final KaderaCourier kadera;
    private final ScheduledExecutorService scheduler;
    private final Map<Region, RegionDispatcher> regions = new EnumMap<>(Region.class);
    private volatile boolean closed;
    private WorkFeed feed; // set by start

    public Dispatcher(DispatchConfig config, DispatchProjection projection, EventRecorder recorder,
                      CarrierDirectory carriers, DeliveryObserver observer, MeterRegistry registry, Clock clock)
            throws GeneralSecurityException {
        this.projection = projection;
        this.recorder = recorder;
        this.limits = config.limits();
        this.metrics = new DispatchMetrics(registry);
        this.clock = clock;
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "aware-dispatch-timer");
            thread.setDaemon(true);
            return thread;
        });
        SSLContext tls = MutualTls.context(config.clientKey(), config.clientChain(), config.trustedServers());
        this.kadera = new KaderaCourier(config.kadera(), new HttpsPoster(tls, config.requestTimeout()), carriers);
        for (Region region : Region.values()) {
            DispatchConfig.RegionRoute route = config.regions().get(region);
            PoliceCourier police = new PoliceCourier(route.primary(), route.secondary(),
                    new HttpsPoster(tls, config.requestTimeout()), new HttpsPoster(tls, config.requestTimeout()), carriers);
            regions.put(region, new RegionDispatcher(region, police, kadera, recorder, projection, scheduler,
                    metrics, limits, clock, observer));
        }
    }

    /**
     * Starts each region's sending thread, then {@code feed}, which hands over work from now on (the
     * log's own backlog and live work on a single node, the shared work streams on Redis). The feed is
     * stopped first on {@link #close}.
     */
    public synchronized void start(WorkFeed feed) {
        if (this.feed != null) {
            throw new IllegalStateException("dispatch already started");
        }
        this.feed = feed;
        projection.onAlertAccepted(this::alertAccepted);
        regions.values().forEach(RegionDispatcher::start);
        feed.start(this);
    }

    private void alertAccepted(java.util.UUID alertId) {
        regions.values().forEach(region -> region.alertAccepted(alertId));
    }

    /** Takes one piece of durable work. Never blocks on I/O. */
    public void submit(DispatchItem item) {
        regions.get(item.region()).submit(item);
        if (item.kind() == WorkKind.NEW_ALERT && !projection.escalated(item.alertId())) {
            long due = item.receiveTimeMs() + limits.escalateAfter().toMillis() - clock.millis();
            scheduler.schedule(() -> escalateIfUnaccepted(item, 1), Math.max(0, due), TimeUnit.MILLISECONDS);
        }
    }

    private void escalateIfUnaccepted(DispatchItem alert, int attempt) {
        try {
            escalate(alert, attempt);
        } catch (RuntimeException e) {
            // A scheduled task that throws dies silently: say so, and try again.
            log.error("escalation of alert {} failed to start (attempt {})", alert.alertId(), attempt, e);
            scheduler.schedule(() -> escalateIfUnaccepted(alert, attempt + 1),
                    limits.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble()), TimeUnit.MILLISECONDS);
        }
    }

    private void escalate(DispatchItem alert, int attempt) {
        if (closed || projection.acceptedReference(alert.alertId()).isPresent() || projection.escalated(alert.alertId())) {
            return;
        }
        String reason = "police did not accept the alert within " + limits.escalateAfter().toSeconds() + " s";
        kadera.escalate(alert, reason).whenComplete((receipt, failure) -> {
            if (failure == null) {
                metrics.escalated(alert.region());
                log.warn("alert {} escalated to {}: {}", alert.alertId(), receipt.target(), reason);
                recorder.recordOrReport(new Event.AlertEscalated(alert.alertId(), receipt.target(), reason), log,
                        "escalation of alert " + alert.alertId());
                return;
            }
            if (closed) {
                return; // the next start re-arms the escalation of every alert still unaccepted
            }
            Throwable cause = Futures.cause(failure);
            long delay = limits.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble());
            log.error("escalation of alert {} failed (attempt {}: {}); retrying in {} ms", alert.alertId(), attempt,
                    cause.getMessage(), delay);
            recorder.recordOrReport(new Event.DeliveryFailed(alert.alertId(), kadera.name() + "/escalation", attempt,
                    String.valueOf(cause.getMessage())), log, "failed escalation attempt of alert " + alert.alertId());
            scheduler.schedule(() -> escalateIfUnaccepted(alert, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }

    /** Work waiting in a region at a priority (for health and tests). */
    public int queued(Region region, Priority priority) {
        return regions.get(region).depth(priority);
    }

    @Override
    public void close() {
        WorkFeed started;
        synchronized (this) {
            started = feed;
        }
        if (started != null) {
            started.close(); // no new work while the regions stop
        }
        closed = true;
        regions.values().forEach(RegionDispatcher::close);
        scheduler.shutdownNow();
    }
}
