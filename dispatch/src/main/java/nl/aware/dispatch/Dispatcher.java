package nl.aware.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import nl.aware.core.concurrent.Futures;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.intake.EventRecorder;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.Courier;
import nl.aware.dispatch.police.HttpsPoster;
import nl.aware.dispatch.police.KaderaCourier;
import nl.aware.dispatch.police.ClientTls;
import nl.aware.dispatch.police.PoliceCourier;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.dispatch.work.Priority;
import nl.aware.dispatch.work.WorkKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
    private final EventLoopGroup http;
    private final java.util.List<HttpsPoster> posters = new java.util.ArrayList<>();
    private final Map<Region, RegionDispatcher> regions = new EnumMap<>(Region.class);
    private final Map<Region, Receivers> receivers = new EnumMap<>(Region.class);
    private final ConsoleOperators operators;
    private final java.util.List<PoliceCourier> policeCouriers = new java.util.ArrayList<>();
    private volatile boolean closed;
    private WorkFeed feed; // set by start
    /**
     * Alerts the police answered 2xx whose Delivered record the projection has not yet applied: the bridge
     * until {@link DispatchProjection#acceptedReference} knows. Each leaves again when the record is applied.
     */
    private final java.util.Set<java.util.UUID> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Alerts whose escalation has started here: one escalation per alert, whatever asked for it. */
    private final java.util.Set<java.util.UUID> escalating = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * The escalation timer of each alert the police have not yet accepted. Accepted alerts drop theirs at
     * once: a timer holds the alert's work item (its press frame) for the whole escalation window.
     */
    private final Map<UUID, ScheduledFuture<?>> escalationTimers = new ConcurrentHashMap<>();

    public Dispatcher(DispatchConfig config, DispatchProjection projection, EventRecorder recorder,
                      CarrierDirectory carriers, DeliveryObserver observer, MeterRegistry registry, Clock clock)
            throws GeneralSecurityException {
        this(config, projection, recorder, carriers, observer, registry, clock, new ConsoleOperators());
    }

    /** {@code operators}: who is signed in to the control-room console, counted by the web module. */
    public Dispatcher(DispatchConfig config, DispatchProjection projection, EventRecorder recorder,
                      CarrierDirectory carriers, DeliveryObserver observer, MeterRegistry registry, Clock clock,
                      ConsoleOperators operators) throws GeneralSecurityException {
        this.operators = operators;
        this.projection = projection;
        this.recorder = recorder;
        this.limits = config.limits();
        this.metrics = new DispatchMetrics(registry);
        this.clock = clock;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "aware-dispatch-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a cancelled escalation frees its alert now, not when it was due
        this.scheduler = timer;
        SslContext tls;
        try {
            tls = ClientTls.context(config.clientKey(), config.clientChain(), config.trustedServers());
        } catch (javax.net.ssl.SSLException e) {
            throw new GeneralSecurityException("cannot build dispatch's client TLS", e);
        }
        // Non-blocking I/O for every receiver: a dead or slow endpoint holds a connection, never a thread.
        this.http = ClientTls.ioThreads(2, "aware-dispatch-http");
        this.kadera = new KaderaCourier(config.kadera(), poster(tls, config, http), carriers);
        java.util.List<String> targets = new java.util.ArrayList<>(java.util.List.of(kadera.name()));
        PoliceAnswers answers = new PoliceAnswers() {
            @Override
            public void accepted(DispatchItem item) {
                if (item.kind().opensAlert()) {
                    answered.add(item.alertId());
                    disarmEscalation(item.alertId());
                }
            }

            @Override
            public void refusedAsInvalid(DispatchItem item, String problem) {
                if (item.kind() == WorkKind.NEW_ALERT) {
                    escalateNow(item, "police refused the alert as invalid (" + problem + ")");
                }
            }
        };
        for (Region region : Region.values()) {
            DispatchConfig.RegionRoute route = config.regions().get(region);
            receivers.put(region, route.receivers());
            metrics.consoleOperators(region, () -> operators.count(region));
            metrics.receivers(region, route.receivers());
            // The region's requests start on the loop its police connections live on (see RegionDispatcher).
            EventLoop loop = http.next();
            Courier police;
            if (route.receivers().external()) {
                PoliceCourier courier = new PoliceCourier(route.primary(), route.secondary(),
                        poster(tls, config, loop), poster(tls, config, loop), carriers);
                policeCouriers.add(courier);
                police = courier;
                targets.add(route.primary().name());
                if (route.secondary() != null) {
                    targets.add(route.secondary().name());
                }
            } else {
                // submit() keeps a console-only region's police work away from its dispatcher; should any slip
                // through, it fails loudly and is retried rather than lost.
                police = (item, attempt) -> java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                        "region " + region.label() + " has no external police system"));
            }
            regions.put(region, new RegionDispatcher(region, police, kadera, recorder, projection, scheduler,
                    metrics, limits, clock, observer, answers, loop));
        }
        metrics.prime(regions.keySet(), targets);
        metrics.escalationsArmed(escalationTimers::size);
        metrics.acceptancesUnrecorded(answered::size);
    }

    /**
     * Lets each region start sending, then starts {@code feed}, which hands over work from now on (the
     * log's own backlog and live work on a single node, the shared work streams on Redis). The feed is
     * stopped first on {@link #close}.
     */
    public synchronized void start(WorkFeed feed) {
        if (this.feed != null) {
            throw new IllegalStateException("dispatch already started");
        }
        this.feed = feed;
        warmUp();
        projection.onAlertAccepted(this::alertAccepted);
        regions.values().forEach(RegionDispatcher::start);
        feed.start(this);
    }

    /**
     * Opens and checks every connection the first PANIC would otherwise open itself (a TLS handshake per
     * endpoint), without holding up the start: a press meanwhile simply opens its own.
     */
    private void warmUp() {
        java.util.List<java.util.concurrent.CompletableFuture<java.util.List<PoliceCourier.Probe>>> checks =
                new java.util.ArrayList<>();
        policeCouriers.forEach(courier -> checks.add(courier.warmUp()));
        checks.add(kadera.warmUp().thenApply(java.util.List::of));
        for (var check : checks) {
            check.thenAccept(probes -> probes.stream().distinct().forEach(probe -> {
                if (probe.reachable()) {
                    log.info("{} checked at start: connected, mutual TLS accepted (HTTP {})", probe.target(),
                            probe.status());
                } else {
                    log.warn("{} not reachable at start ({}); alerts will retry and fail over", probe.target(),
                            probe.problem());
                }
            }));
        }
    }

    private void alertAccepted(java.util.UUID alertId) {
        answered.remove(alertId); // the projection knows now (acceptedReference), and escalate() asks it
        disarmEscalation(alertId);
        regions.values().forEach(region -> region.alertAccepted(alertId));
    }

    /** Takes one piece of durable work. Never blocks on I/O. */
    public void submit(DispatchItem item) {
        Receivers served = receivers.get(item.region());
        // Armed before the work can reach the police, so that their acceptance finds the timer to cancel.
        if (item.kind() == WorkKind.NEW_ALERT && !projection.escalated(item.alertId()) && !served.external()
                && operators.count(item.region()) == 0) {
            escalateNow(item, "no operator is signed in to the control-room console of " + item.region().label()
                    + ", which has no other receiver");
        } else if (item.kind() == WorkKind.NEW_ALERT && !projection.escalated(item.alertId())) {
            armEscalation(item);
        }
        if (item.kind().toPolice() && !served.external()) {
            settleOnConsole(item);
        } else {
            regions.get(item.region()).submit(item);
        }
    }

    private void armEscalation(DispatchItem item) {
        UUID alertId = item.alertId();
        long due = item.receiveTimeMs() + limits.escalateAfter().toMillis() - clock.millis();
        String reason = "police did not accept the alert within " + limits.escalateAfter().toSeconds() + " s";
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(() -> {
                escalationTimers.remove(alertId);
                escalateIfUnaccepted(item, 1, reason);
            }, Math.max(0, due), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.info("dispatch stopping; the escalation of alert {} is re-armed at the next start", alertId);
            return;
        }
        ScheduledFuture<?> earlier = escalationTimers.put(alertId, timer);
        if (earlier != null) {
            earlier.cancel(false); // the same alert handed over again: one timer is enough
        }
        if (timer.isDone()) { // already due, and it ran before it was put
            escalationTimers.remove(alertId, timer);
        }
    }

    /** The alert was accepted: escalation would find nothing to do, so its timer and work item go now. */
    private void disarmEscalation(UUID alertId) {
        ScheduledFuture<?> timer = escalationTimers.remove(alertId);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * A console-only region's police work is already where it goes: on the console, from the log. It is
     * settled in the log so that it is not owed for ever; settling is not acceptance (an operator's step is).
     */
    private void settleOnConsole(DispatchItem item) {
        recorder.record(new Event.Delivered(item.itemId(), DispatchProjection.consoleTarget(item.region()), 1, ""))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        log.warn("{} {} not yet settled on the console ({}); settled again at the next start",
                                item.kind().label(), item.itemId(), error.toString());
                    }
                });
    }

    /** Escalates an alert at once (refused as invalid, or nobody to receive it), not when its 15 s are up. */
    private void escalateNow(DispatchItem alert, String reason) {
        try {
            scheduler.execute(() -> escalateIfUnaccepted(alert, 1, reason));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.info("dispatch stopping; the escalation of alert {} is re-armed at the next start", alert.alertId());
        }
    }

    private void escalateIfUnaccepted(DispatchItem alert, int attempt, String reason) {
        try {
            escalate(alert, attempt, reason);
        } catch (RuntimeException e) {
            // A scheduled task that throws dies silently: say so, and try again.
            log.error("escalation of alert {} failed to start (attempt {})", alert.alertId(), attempt, e);
            scheduler.schedule(() -> escalateIfUnaccepted(alert, attempt + 1, reason),
                    limits.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble()), TimeUnit.MILLISECONDS);
        }
    }

    private void escalate(DispatchItem alert, int attempt, String reason) {
        UUID alertId = alert.alertId();
        if (closed || answered.contains(alertId) || projection.acceptedReference(alertId).isPresent()
                || projection.alert(alertId).map(view -> view.status() != null).orElse(false) // acknowledged anywhere
                || projection.escalated(alertId) || (attempt == 1 && !escalating.add(alertId))) {
            return;
        }
        kadera.escalate(alert, reason).whenComplete((receipt, failure) -> {
            metrics.attempt(kadera.name(), failure == null);
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
            scheduler.schedule(() -> escalateIfUnaccepted(alert, attempt + 1, reason), delay, TimeUnit.MILLISECONDS);
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
        posters.forEach(HttpsPoster::close);
        http.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private HttpsPoster poster(SslContext tls, DispatchConfig config, EventLoopGroup loops) {
        HttpsPoster poster = new HttpsPoster(tls, config.requestTimeout(), loops);
        posters.add(poster);
        return poster;
    }
}
