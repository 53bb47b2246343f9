package nl.aware.web.controlroom;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.ListeningEnd;
import nl.aware.core.log.LogRecord;
import nl.aware.core.logging.RateLimitedLog;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.OpenAlarms;
import nl.aware.core.state.Projection;
import nl.aware.http.EventStreamChannel;
import nl.aware.web.staff.StaffSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Operators listening in live (docs/listen-in.md "Live listening"): each listening session follows one audio
 * stream of the alert's device (the one it was already sending after its press, or the one its LISTEN opened)
 * and sends every AUDIO frame of it to the operator's page as it is applied from the log, on the session's
 * Server-Sent Events stream, with the session's state (connecting, listening, and how it ended).
 *
 * <p>Threading: {@link #apply} runs on the log's applying thread and only notes which stream belongs to which
 * alert and hands frames over to the one push thread ("aware-listen-push"), which owns every session and writes
 * to the pages: listening never delays a PANIC. The hand-over queue is bounded; a frame that does not fit is
 * dropped for the page (the page sees the gap in {@code seq}), never for the log.
 */
final class ListeningSessions implements Projection, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListeningSessions.class);
    private final RateLimitedLog behind = new RateLimitedLog(log, 1000);
    /** What a LISTEN asks for: the most ADP/1 allows; the operator's stop (or leaving) sends STOP. */
    static final int LISTEN_SECONDS = 600;
    /** A press stream with a frame this recent is running: join it instead of sending LISTEN. */
    static final Duration RUNNING = Duration.ofSeconds(3);
    /** A session whose page never opens its audio stream ends after this. */
    static final Duration ATTACH_WITHIN = Duration.ofSeconds(15);
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** How long an ended session still answers its page's stream with how it ended. */
    static final Duration ENDED_KEPT = Duration.ofSeconds(30);
    /** Events kept for a page that has not opened its stream yet (about a minute of sound). */
    static final int PENDING_LIMIT = 150;
    static final int HANDOVER_LIMIT = 4096;

    /** The states a page shows besides the ends ({@link ListeningEnd#label()}). */
    static final String CONNECTING = "connecting";
    static final String LISTENING = "listening";

    private record StreamKey(long deviceId, long streamId) {
    }

    /** An audio stream of an alert: written on the applying thread, read by the routes. */
    private static final class Stream {
        final UUID alertId;
        final boolean press;
        volatile long lastFrameMs;

        Stream(UUID alertId, boolean press) {
            this.alertId = alertId;
            this.press = press;
        }
    }

    /** An event for a page; {@code receiveTimeMs} is its frame's receive time, or {@link #NOT_SOUND}. */
    private record Outgoing(String event, String data, long receiveTimeMs) {
    }

    private static final long NOT_SOUND = -1;

    /** Which staff session listens to which alert: one listening session each. */
    private record Listener(String tokenHash, UUID alertId) {
    }

    /** One listening session. Its mutable state belongs to the push thread; {@link #state} is read by the routes. */
    static final class Session {
        final UUID id;
        final UUID alertId;
        final long deviceId;
        final String operator;
        final StaffSessions.Session staff;
        final boolean joined;
        final long startedMs;
        volatile String state;
        // push thread only:
        long streamId = -1;
        boolean sentListen;
        boolean ended;
        EventStreamChannel channel;
        final Deque<Outgoing> pending = new ArrayDeque<>();

        Session(UUID id, UUID alertId, long deviceId, StaffSessions.Session staff, boolean joined, long startedMs) {
            this.id = id;
            this.alertId = alertId;
            this.deviceId = deviceId;
            this.operator = staff.username();
            this.staff = staff;
            this.joined = joined;
            this.startedMs = startedMs;
            this.state = joined ? LISTENING : CONNECTING;
        }
    }

    private final OpenAlarms openAlarms;
    private final DeviceListening devices;
    private final Clock clock;
    private final ListeningMetrics metrics;
    private final Map<StreamKey, Stream> streams = new ConcurrentHashMap<>();
    /** The press streams of each alert, so that closing an alert does not walk every stream (applying thread). */
    private final Map<UUID, List<StreamKey>> pressStreams = new HashMap<>();
    private final Map<Listener, Session> active = new ConcurrentHashMap<>();
    /** Sessions that ended a moment ago: a page that opens its stream late still learns how (e.g. not connected). */
    private final Map<Listener, Session> endedRecently = new ConcurrentHashMap<>();
    /** The alerts somebody listens to (changed on the push thread): the applying thread hands over only theirs. */
    private final Map<UUID, Boolean> listened = new ConcurrentHashMap<>();
    // set once by serve(), before any session exists:
    private volatile ScheduledThreadPoolExecutor push;
    private volatile StaffSessions sessions;
    private volatile Function<Event, CompletableFuture<?>> recorder;

    /** A projection from the start (register it before the log is replayed); sessions once {@link #serve}d. */
    ListeningSessions(OpenAlarms openAlarms, DeviceListening devices, Clock clock, ListeningMetrics metrics) {
        this.openAlarms = openAlarms;
        this.devices = devices;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Starts the push thread: from now on operators can listen.
     *
     * @param recorder records an event durably (the staff audit: its continuations run off the writer thread)
     */
    void serve(StaffSessions sessions, Function<Event, CompletableFuture<?>> recorder) {
        this.sessions = sessions;
        this.recorder = recorder;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "aware-listen-push");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        this.push = executor;
    }

    // --- the log's applying thread: never blocks ---

    @Override
    public void apply(LogRecord record, Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            long deviceId = accepted.frame().deviceId();
            FrameType type = accepted.frame().type();
            if (type == FrameType.PANIC) {
                openAlarms.of(deviceId).ifPresent(alarm -> pressed(new StreamKey(deviceId, accepted.frame().counter()),
                        alarm.alertId()));
            } else if (type == FrameType.AUDIO) {
                audio(deviceId, accepted.frame().audio(), accepted.receiveTimeMs());
            } else if (type == FrameType.COMMAND_RESULT) {
                CommandResult result = accepted.frame().commandResult();
                if (result.outcome() != CommandResult.Outcome.DONE && result.outcome() != CommandResult.Outcome.STARTED) {
                    endStream(new StreamKey(deviceId, result.commandId()), false);
                }
            }
        } else if (event instanceof Event.CommandSent sent) {
            if (sent.command() == DeviceCommand.LISTEN && sent.alertId() != null) {
                StreamKey key = new StreamKey(sent.deviceId(), sent.commandId());
                streams.putIfAbsent(key, new Stream(sent.alertId(), false));
                if (listened.containsKey(sent.alertId())) {
                    handOver(() -> listenSent(sent));
                }
            } else if (sent.command() == DeviceCommand.STOP) {
                streams.entrySet().removeIf(e -> e.getKey().deviceId() == sent.deviceId() && !e.getValue().press);
            }
        } else if (event instanceof Event.CommandUnanswered unanswered) {
            endStream(new StreamKey(unanswered.deviceId(), unanswered.commandId()), false);
        } else if (event instanceof Event.AlertStatusReported status && status.status() == AlertStatus.CLOSED) {
            List<StreamKey> keys = pressStreams.remove(status.alertId());
            if (keys != null) {
                keys.forEach(key -> endStream(key, true));
            }
            if (listened.containsKey(status.alertId())) {
                handOver(() -> endAll(status.alertId(), ListeningEnd.ALERT_CLOSED));
            }
        }
    }

    private void pressed(StreamKey key, UUID alertId) {
        if (streams.putIfAbsent(key, new Stream(alertId, true)) == null) {
            pressStreams.computeIfAbsent(alertId, id -> new ArrayList<>()).add(key);
        }
    }

    private void audio(long deviceId, AudioChunk chunk, long receiveTimeMs) {
        StreamKey key = new StreamKey(deviceId, chunk.streamId());
        Stream stream = streams.get(key);
        if (stream == null) {
            return; // a retransmission after its stream ended, or sound of a LISTEN outside an alert
        }
        stream.lastFrameMs = receiveTimeMs;
        if (chunk.last()) {
            streams.remove(key);
        }
        if (listened.containsKey(stream.alertId)) {
            Runnable delivery = () -> deliver(stream.alertId, key, chunk, stream.press, receiveTimeMs);
            if (chunk.last()) {
                handOver(delivery); // a stream's end changes the sessions: never dropped
            } else {
                handOverSound(delivery);
            }
        }
    }

    private void endStream(StreamKey key, boolean press) {
        Stream stream = streams.get(key);
        if (stream != null && stream.press == press) {
            streams.remove(key);
        }
    }

    /** A session's state change: always handed over (only sound may be dropped, see {@link #handOverSound}). */
    private void handOver(Runnable task) {
        ScheduledThreadPoolExecutor push = this.push;
        if (push == null) {
            return; // replay, before the consoles are served: nobody listens yet
        }
        try {
            push.execute(task);
        } catch (RejectedExecutionException stopping) {
            // Shutting down: the pages' streams are ending.
        }
    }

    /** A frame for the pages: dropped (for them, never for the log) when the push thread is this far behind. */
    private void handOverSound(Runnable task) {
        ScheduledThreadPoolExecutor push = this.push;
        if (push != null && push.getQueue().size() >= HANDOVER_LIMIT) {
            behind.warn("live listening is behind: frames for the consoles are dropped (they are kept in the log)");
            return;
        }
        handOver(task);
    }

    // --- the routes (staff API workers) ---

    /** The running stream of this alert from this device (a frame within {@link #RUNNING}), if any. */
    Optional<Long> runningStream(UUID alertId, long deviceId) {
        long now = clock.millis();
        return streams.entrySet().stream()
                .filter(e -> e.getKey().deviceId() == deviceId && e.getValue().alertId.equals(alertId)
                        && e.getValue().lastFrameMs > 0 && now - e.getValue().lastFrameMs <= RUNNING.toMillis())
                .max(java.util.Comparator.comparingLong(e -> e.getValue().lastFrameMs))
                .map(e -> e.getKey().streamId());
    }

    /** The open listening session of this staff session for this alert. */
    Optional<Session> of(StaffSessions.Session staff, UUID alertId) {
        return Optional.ofNullable(active.get(new Listener(staff.tokenHash(), alertId)));
    }

    /** The open one, or the one that ended a moment ago (its stream then says only how it ended). */
    Optional<Session> ofForStream(StaffSessions.Session staff, UUID alertId) {
        Listener listener = new Listener(staff.tokenHash(), alertId);
        return Optional.ofNullable(active.get(listener)).or(() -> Optional.ofNullable(endedRecently.get(listener)));
    }

    /**
     * Starts a session whose {@link Event.ListeningStarted} is durable: joins {@code runningStream} when there is
     * one, otherwise sends LISTEN. Returns false when this staff session already listens to the alert (then the
     * new session is ended at once: its start is on the record, so its end is too).
     */
    boolean start(Session session, Optional<Long> runningStream) {
        Listener listener = new Listener(session.staff.tokenHash(), session.alertId);
        if (active.putIfAbsent(listener, session) != null) {
            push.execute(() -> end(session, ListeningEnd.STOPPED));
            return false;
        }
        push.execute(() -> {
            listened.put(session.alertId, Boolean.TRUE);
            if (runningStream.isPresent()) {
                session.streamId = runningStream.get();
            } else {
                listenOrWait(session, List.of());
            }
            push.schedule(() -> {
                if (session.channel == null && !session.ended) {
                    end(session, ListeningEnd.STREAM_CLOSED);
                }
            }, ATTACH_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        });
        return true;
    }

    /** The page opened the session's audio stream: what waited is sent, then every frame as it comes. */
    void attach(Session session, EventStreamChannel channel) {
        push.execute(() -> {
            if (session.ended) {
                channel.send(null, "state", stateJson(session, session.state));
                channel.close();
                return;
            }
            EventStreamChannel previous = session.channel;
            session.channel = channel;
            if (previous != null) {
                previous.close(); // a second tab took over; its close must not end the session (checked below)
            }
            channel.onClose(() -> handOver(() -> {
                if (session.channel == channel) {
                    end(session, ListeningEnd.STREAM_CLOSED);
                }
            }));
            channel.send(null, "state", stateJson(session, session.state));
            while (!session.pending.isEmpty()) {
                write(channel, session.pending.poll());
            }
        });
    }

    /** The operator pressed stop: ends the session; completes once its end is handed to the log. */
    CompletableFuture<Void> stop(Session session) {
        return CompletableFuture.runAsync(() -> end(session, ListeningEnd.STOPPED), push);
    }

    // --- the push thread ---

    /**
     * Sends LISTEN for {@code session} (and {@code alsoWaiting}), unless a LISTEN to this device is already waiting
     * for its answer: then they follow that one. One LISTEN at a time per device: a second would end the first.
     */
    private void listenOrWait(Session session, List<Session> alsoWaiting) {
        Optional<Session> pending = active.values().stream().filter(s -> s != session && !s.ended
                && s.deviceId == session.deviceId && s.sentListen && CONNECTING.equals(s.state)).findFirst();
        long follow = pending.map(s -> s.streamId).orElse(-1L);
        session.streamId = follow;
        alsoWaiting.forEach(s -> s.streamId = follow);
        if (pending.isPresent()) {
            return; // its stream is adopted when its CommandSent is applied (listenSent), if not already
        }
        session.sentListen = true;
        session.state = CONNECTING;
        alsoWaiting.forEach(s -> s.state = CONNECTING);
        devices.listen(session.deviceId, LISTEN_SECONDS, session.operator, session.alertId)
                .whenComplete((answer, failure) -> handOver(() -> answered(session,
                        failure == null ? answer : DeviceListening.Answer.NOT_CONNECTED, failure)));
    }

    /** The device answered {@code sender}'s LISTEN: every session waiting for it listens, or ends the same way. */
    private void answered(Session sender, DeviceListening.Answer answer, Throwable failure) {
        if (failure != null) {
            log.warn("LISTEN for device {} not sent: {}", DeviceIds.format(sender.deviceId), failure.toString());
        }
        List<Session> group = new ArrayList<>();
        for (Session s : active.values()) {
            if (!s.ended && s.deviceId == sender.deviceId && s.streamId == sender.streamId) {
                group.add(s);
            }
        }
        if (!sender.ended && !group.contains(sender)) {
            group.add(sender);
        }
        if (answer == DeviceListening.Answer.LISTENING) {
            if (group.isEmpty()) {
                stopDevice(sender); // everyone left before the device answered
            }
            for (Session s : group) {
                if (!LISTENING.equals(s.state)) {
                    send(s, new Outgoing("state", stateJson(s, s.state = LISTENING), NOT_SOUND));
                }
            }
            return;
        }
        ListeningEnd reason = switch (answer) {
            case NO_ANSWER -> ListeningEnd.NO_ANSWER;
            case REFUSED -> ListeningEnd.REFUSED;
            default -> ListeningEnd.NOT_CONNECTED;
        };
        group.forEach(s -> end(s, reason));
    }

    /** A LISTEN for an alert somebody listens to was recorded: the sessions waiting for a stream follow it. */
    private void listenSent(Event.CommandSent sent) {
        for (Session session : sessionsOf(sent.alertId())) {
            if (!session.ended && session.streamId < 0 && session.deviceId == sent.deviceId()) {
                session.streamId = sent.commandId();
            }
        }
    }

    private void deliver(UUID alertId, StreamKey key, AudioChunk chunk, boolean press, long receiveTimeMs) {
        String data = null;
        List<Session> followers = new ArrayList<>();
        for (Session session : sessionsOf(alertId)) {
            if (session.ended || session.deviceId != key.deviceId() || session.streamId != key.streamId()) {
                continue;
            }
            if (data == null) {
                data = audioJson(chunk);
            }
            send(session, new Outgoing("audio", data, receiveTimeMs));
            followers.add(session);
        }
        if (!chunk.last() || followers.isEmpty()) {
            return;
        }
        if (press) {
            // The recording after a press is 30 s; the operators still listening go on with a LISTEN (on the
            // record in the first one's name), or with a stream of the alert that is running already.
            Optional<Long> running = runningStream(alertId, key.deviceId());
            if (running.isPresent()) {
                followers.forEach(s -> s.streamId = running.get());
            } else {
                listenOrWait(followers.get(0), followers.subList(1, followers.size()));
            }
        } else {
            followers.forEach(s -> end(s, ListeningEnd.DEVICE_ENDED));
        }
    }

    private void endAll(UUID alertId, ListeningEnd reason) {
        for (Session session : sessionsOf(alertId)) {
            end(session, reason);
        }
    }

    /** Ends a session once: its state to the page, the stream closed, STOP when nobody else follows a LISTEN. */
    private void end(Session session, ListeningEnd reason) {
        if (session.ended) {
            return;
        }
        session.ended = true;
        session.state = reason.label();
        Listener listener = new Listener(session.staff.tokenHash(), session.alertId);
        if (active.remove(listener, session)) {
            endedRecently.put(listener, session);
            push.schedule(() -> endedRecently.remove(listener, session), ENDED_KEPT.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (sessionsOf(session.alertId).isEmpty()) {
            listened.remove(session.alertId);
        }
        recorder.apply(new Event.ListeningEnded(session.id, session.alertId, session.deviceId, session.operator,
                reason, clock.millis())).whenComplete((recorded, failure) -> {
                    if (failure != null) {
                        log.error("the end of listening session {} was not recorded: {}", session.id, failure.toString());
                    }
                });
        EventStreamChannel channel = session.channel;
        if (channel != null) {
            channel.send(null, "state", stateJson(session, reason.label()));
            channel.close();
        }
        boolean listenOpen = session.streamId >= 0
                && Optional.ofNullable(streams.get(new StreamKey(session.deviceId, session.streamId)))
                .map(stream -> !stream.press).orElse(false);
        if (listenOpen && !followed(session.deviceId, session.streamId)) {
            stopDevice(session);
        }
    }

    private boolean followed(long deviceId, long streamId) {
        return active.values().stream().anyMatch(s -> s.deviceId == deviceId && s.streamId == streamId && !s.ended);
    }

    private void stopDevice(Session session) {
        devices.stop(session.deviceId, session.operator, session.alertId).whenComplete((answer, failure) -> {
            if (failure != null) {
                log.warn("STOP for device {} not sent: {}", DeviceIds.format(session.deviceId), failure.toString());
            }
        });
    }

    private List<Session> sessionsOf(UUID alertId) {
        List<Session> of = new ArrayList<>();
        for (Session session : active.values()) {
            if (session.alertId.equals(alertId)) {
                of.add(session);
            }
        }
        return of;
    }

    /** To the page now, or kept until it opens its stream (bounded: the oldest sound goes first). */
    private void send(Session session, Outgoing outgoing) {
        EventStreamChannel channel = session.channel;
        if (channel != null) {
            write(channel, outgoing);
            return;
        }
        if (session.pending.size() >= PENDING_LIMIT) {
            session.pending.poll();
        }
        session.pending.add(outgoing);
    }

    /** Writes one event; sound that went out is timed from its receipt (what waited for the page included). */
    private void write(EventStreamChannel channel, Outgoing outgoing) {
        if (channel.send(null, outgoing.event(), outgoing.data()) && outgoing.receiveTimeMs() != NOT_SOUND) {
            metrics.delivered(outgoing.receiveTimeMs());
        }
    }

    private void heartbeat() {
        try {
            for (Session session : active.values()) {
                if (session.ended) {
                    continue;
                }
                if (!sessions.keepAlive(session.staff)) {
                    end(session, ListeningEnd.SESSION_ENDED);
                } else if (session.channel != null) {
                    session.channel.send(null, "heartbeat", "{\"time\":\"" + clock.instant() + "\"}");
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the pages would all go quiet.
            log.error("live listening heartbeat failed", e);
        }
    }

    private String stateJson(Session session, String state) {
        return QueueJson.JSON.createObjectNode().put("state", state).put("listeningId", session.id.toString())
                .put("alertId", session.alertId.toString()).put("source", session.joined ? "joined" : "listen")
                .put("startedAt", Instant.ofEpochMilli(session.startedMs).toString()).toString();
    }

    /** One AUDIO frame for the page: its stream, seq, codec, duration and data (Opus packets each base64). */
    static String audioJson(AudioChunk chunk) {
        var node = QueueJson.JSON.createObjectNode().put("stream", Long.toUnsignedString(chunk.streamId()))
                .put("seq", chunk.seq()).put("codec", chunk.codec()).put("durationMs", chunk.durationMs())
                .put("last", chunk.last());
        Base64.Encoder base64 = Base64.getEncoder();
        if (chunk.codec() == AudioChunk.CODEC_OPUS) {
            var packets = node.putArray("packets");
            chunk.opusPackets().forEach(packet -> packets.add(base64.encodeToString(packet)));
        } else {
            node.put("data", base64.encodeToString(chunk.data()));
        }
        return node.toString();
    }

    int open() {
        return active.size();
    }

    /** Ends every session (recorded as ended with the server), then stops the push thread. */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor push = this.push;
        if (push == null) {
            return;
        }
        try {
            push.submit(() -> List.copyOf(active.values()).forEach(s -> end(s, ListeningEnd.SESSION_ENDED)))
                    .get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | RejectedExecutionException e) {
            log.warn("listening sessions not all ended cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        push.shutdownNow();
    }
}
