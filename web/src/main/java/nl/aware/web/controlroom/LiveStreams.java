package nl.aware.web.controlroom;

import nl.aware.core.event.Region;
import nl.aware.dispatch.ConsoleOperators;
import nl.aware.http.EventStreamChannel;
import nl.aware.web.staff.StaffSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The open consoles' streams and the one thread that writes to them: every change of the {@link AlertFeed},
 * a heartbeat every 2 s, the replay of what a reconnecting console missed. One thread keeps each stream's
 * events in log order; the log writer only hands changes over ({@link #changed}) and never waits for a
 * console. Counts the operators signed in per region ({@link ConsoleOperators}) by their open streams.
 */
final class LiveStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    /** One console's stream: whose, which regions, the last sequence it was sent. Push thread only. */
    private static final class Subscriber {
        final EventStreamChannel channel;
        final StaffSessions.Session session;
        final Set<Region> regions;
        long lastSent;

        Subscriber(EventStreamChannel channel, StaffSessions.Session session, Set<Region> regions) {
            this.channel = channel;
            this.session = session;
            this.regions = regions;
        }
    }

    private final ScheduledExecutorService push;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ConsoleOperators operators;
    private final StaffSessions sessions;
    private final Clock clock;
    private volatile AlertFeed feed;

    LiveStreams(ConsoleOperators operators, StaffSessions sessions, Clock clock) {
        this.operators = operators;
        this.sessions = sessions;
        this.clock = clock;
        this.push = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aware-console-push");
            thread.setDaemon(true);
            return thread;
        });
        push.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void feed(AlertFeed feed) {
        this.feed = feed;
    }

    /**
     * A change became durable. Called on the log's applying thread, inside the feed's lock: hands it over and
     * returns. With no console open there is nobody to wake the push thread for (at 200 new alarms a second that
     * was 900 wake-ups); a console that opens later gets the change from the feed's {@code resume}, which adds
     * it to {@link #subscribers} under the same lock.
     */
    void changed(AlertFeed.Change change) {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            push.execute(() -> deliver(change));
        } catch (RejectedExecutionException stopping) {
            // Shutting down: consoles reconnect to the next start and resume from their last sequence.
        }
    }

    /**
     * Opens a console's stream: sends what it missed since {@code after} (or the whole queue), then every change
     * as it happens. {@code after} -1: a fresh console.
     */
    void open(EventStreamChannel channel, StaffSessions.Session session, Set<Region> regions, long after) {
        push.execute(() -> {
            Subscriber subscriber = new Subscriber(channel, session, regions);
            AlertFeed.Resume resume = feed.resume(after, regions, () -> subscribers.add(subscriber));
            regions.forEach(operators::arrived);
            channel.onClose(() -> {
                if (subscribers.remove(subscriber)) {
                    regions.forEach(operators::left);
                }
            });
            if (resume.reset()) {
                channel.send(Long.toString(resume.latestSequence()), "reset",
                        QueueJson.queue(resume.queue(), resume.latestSequence()).toString());
                subscriber.lastSent = resume.latestSequence();
            } else {
                subscriber.lastSent = after;
                resume.missed().forEach(change -> send(subscriber, change));
            }
            heartbeat(subscriber);
        });
    }

    private void deliver(AlertFeed.Change change) {
        for (Subscriber subscriber : subscribers) {
            if (subscriber.regions.contains(change.row().region())) {
                send(subscriber, change);
            }
        }
    }

    /** Sends a change unless this stream already has it (the replay and the live feed may overlap). */
    private void send(Subscriber subscriber, AlertFeed.Change change) {
        if (change.sequence() <= subscriber.lastSent) {
            return;
        }
        subscriber.lastSent = change.sequence();
        subscriber.channel.send(Long.toString(change.sequence()), "alert", QueueJson.row(change.row()).toString());
    }

    private void heartbeat() {
        try {
            for (Subscriber subscriber : subscribers) {
                if (!sessions.keepAlive(subscriber.session)) {
                    log.info("control-room stream of {} ended: the session ended", subscriber.session.username());
                    subscriber.channel.close();
                    continue;
                }
                heartbeat(subscriber);
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the consoles would all go stale.
            log.error("control-room heartbeat failed", e);
        }
    }

    /**
     * A named event, not only a comment: a browser's EventSource never shows comments to the page, and the
     * page must see the heartbeat to warn when it stops. It carries no id, so the resume point stays put.
     */
    private void heartbeat(Subscriber subscriber) {
        subscriber.channel.send(null, "heartbeat", "{\"time\":\"" + clock.instant() + "\",\"sequence\":"
                + subscriber.lastSent + "}");
    }

    int open() {
        return subscribers.size();
    }

    /** Ends every stream cleanly (the consoles reconnect to the next start), then stops the push thread. */
    @Override
    public void close() {
        try {
            push.submit(() -> subscribers.forEach(subscriber -> subscriber.channel.close())).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | RejectedExecutionException e) {
            log.warn("control-room streams not all ended cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        push.shutdownNow();
    }
}
