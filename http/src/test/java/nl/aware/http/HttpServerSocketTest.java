package nl.aware.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toolkit end to end on real sockets: TLS 1.3 only, the connection cap, the request deadline. */
class HttpServerSocketTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("http toolkit test CA", Duration.ofDays(2));
    private static final IssuedCredential SERVER = CA.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"),
            Duration.ofDays(1));
    private static final HttpService HELLO = exchange -> exchange.respond(
            HttpAnswer.json(HttpResponseStatus.OK, Map.of("hello", exchange.path())));

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() throws Exception {
        trickler.shutdownNow();
        // Clients first, while the server can still answer a TLS 1.3 close_notify (a JDK client waits for it).
        java.util.Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private HttpServer start(HttpServerSettings settings) throws IOException {
        HttpServer server = HttpServer.start(settings, workers -> HELLO);
        closing.add(server);
        return server;
    }

    private static HttpServerSettings plain() {
        return HttpServerSettings.of("test server", InetAddress.getLoopbackAddress(), 0, null);
    }

    private static HttpServerSettings tls() throws SSLException {
        return HttpServerSettings.of("test server", InetAddress.getLoopbackAddress(), 0,
                ServerTls.serverOnly(SERVER.privateKey(), SERVER.certificate()));
    }

    private static SSLContext trustingTheCa(String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private Socket connect(HttpServer server) throws IOException {
        Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
        socket.setSoTimeout(30_000);
        closing.add(socket);
        return socket;
    }

    /** Sends a request and reads one response: the head, then as many body bytes as it declares. */
    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (response.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                return response.toString();
            }
            response.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(response);
        int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
        response.append(new String(in.readNBytes(body), StandardCharsets.UTF_8));
        return response.toString();
    }

    /** -1 (orderly close) or a reset both mean the server closed the connection. */
    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketException | SSLException e) {
            return true;
        }
    }

    /** Writes {@code bytes} every {@code millis} until the server closes the connection. */
    private void trickle(OutputStream out, byte[] bytes, long millis) {
        trickler.scheduleAtFixedRate(() -> {
            try {
                out.write(bytes);
            } catch (IOException closed) {
                trickler.shutdown(); // the server closed it: what the test waits for
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Test
    void tls13Client_isServedWithTheSecurityHeaders() throws Exception {
        HttpServer server = start(tls());
        SSLSocket socket = (SSLSocket) trustingTheCa("TLSv1.3").getSocketFactory()
                .createSocket(server.address().getAddress(), server.address().getPort());
        closing.add(socket);
        socket.setSoTimeout(30_000);

        String response = exchange(socket, "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertEquals("TLSv1.3", socket.getSession().getProtocol());
        assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
        assertTrue(response.contains("cache-control: no-store"), response);
        assertTrue(response.contains("{\"hello\":\"/ping\"}"), response);
    }

    /** Answers whether it runs on the connection's event loop, and counts the answers continued on its executor. */
    private static HttpService whereServed() {
        return exchange -> {
            boolean onLoop = exchange.executor() instanceof io.netty.channel.EventLoop loop && loop.inEventLoop();
            String thread = Thread.currentThread().getName();
            exchange.executor().execute(() -> exchange.respond(HttpAnswer.json(HttpResponseStatus.OK,
                    Map.of("onLoop", onLoop, "sameThread", thread.equals(Thread.currentThread().getName())))));
        };
    }

    @Test
    void serviceRunsOnAWorker_byDefault_andOnTheEventLoopWithNoWorkers_continuingOnTheSameThread() throws Exception {
        for (int workers : new int[]{1, 0}) {
            HttpServer server = HttpServer.start(plain().withWorkerThreads(workers), group -> whereServed());
            closing.add(server);
            String response = exchange(connect(server), "GET /where HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"onLoop\":" + (workers == 0)), workers + " workers: " + response);
            assertTrue(response.contains("\"sameThread\":true"), response);
        }
    }

    @Test
    void negativeWorkerCount_isRefusedNamingTheServer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain().withWorkerThreads(-1));
        assertTrue(e.getMessage().startsWith("test server "), e.getMessage());
    }

    @Test
    void tls12Client_isRefusedInTheHandshake() throws Exception {
        HttpServer server = start(tls());
        SSLSocket socket = (SSLSocket) trustingTheCa("TLSv1.2").getSocketFactory()
                .createSocket(server.address().getAddress(), server.address().getPort());
        closing.add(socket);
        socket.setSoTimeout(30_000);
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});

        assertThrows(SSLException.class, socket::startHandshake);
    }

    @Test
    void connectionOverTheCap_isClosedAtOnce_andASlotFreedIsUsableAgain() throws Exception {
        HttpServer server = start(plain().withMaxConnections(3));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(connect(server));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 3);

        Socket excess = connect(server);
        assertTrue(closedByServer(excess.getInputStream()), "the fourth is closed without an answer");
        assertEquals(1, server.refusedConnections());

        held.get(0).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 2);
        assertTrue(exchange(connect(server), "GET /again HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200 OK"));
    }

    @Test
    void headerLineEverySecond_isClosedAtTheDeadline_notKeptAliveByTheTrickle() throws Exception {
        HttpServer server = start(plain().withRequestDeadline(Duration.ofSeconds(2)));
        Socket socket = connect(server);
        OutputStream out = socket.getOutputStream();
        long started = System.nanoTime();
        out.write("GET /slow HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        trickle(out, "X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII), 500);

        assertTrue(closedByServer(socket.getInputStream()));

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds >= 1 && seconds < 15, "closed after " + seconds + " s (deadline 2 s; idle timeout 60 s)");
    }

    @Test
    void meters_countRefusalsAtTheCapAndClosesAtTheDeadline_taggedWithTheServer_andGoWithIt() throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HttpServer server = start(plain().withMaxConnections(1).withRequestDeadline(Duration.ofSeconds(1)))
                .meteredIn(registry, "test-port");
        Socket slow = connect(server);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 1);
        assertEquals(1.0, registry.get("aware.http.connections.open").tag("server", "test-port").gauge().value());
        assertTrue(closedByServer(connect(server).getInputStream()), "over the cap");
        slow.getOutputStream().write("GET /never-finished HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(closedByServer(slow.getInputStream()), "at the deadline");

        assertEquals(1.0, registry.get("aware.http.connections.refused").tag("server", "test-port").functionCounter().count());
        assertEquals(1.0, registry.get("aware.http.requests.expired").tag("server", "test-port").functionCounter().count());
        server.close();
        assertTrue(registry.getMeters().isEmpty(), "a closed server's meters are gone: " + registry.getMeters());
    }

    @Test
    void bodyTrickledByteByByte_isClosedAtTheDeadline() throws Exception {
        HttpServer server = start(plain().withRequestDeadline(Duration.ofSeconds(2)));
        Socket socket = connect(server);
        OutputStream out = socket.getOutputStream();
        long started = System.nanoTime();
        out.write("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        trickle(out, new byte[] {'x'}, 200);

        assertTrue(closedByServer(socket.getInputStream()));

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds < 15, "closed after " + seconds + " s (deadline 2 s)");
    }

    @Test
    void declaredOversizeBody_isRefusedFromItsHeader_with413AndTheHeaders() throws Exception {
        HttpServer server = start(plain().withMaxBodyBytes(1024));
        Socket socket = connect(server);

        String response = exchange(socket, "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("x-content-type-options: nosniff"), response);
        assertTrue(response.contains("cache-control: no-store"), response);
    }

    @Test
    void closingWithKeptAliveConnections_takesThemDownWithoutRefusedTasks() throws Exception {
        Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        netty.addAppender(warnings);
        try {
            for (int round = 0; round < 5; round++) {
                HttpServer server = HttpServer.start(plain(), workers -> HELLO);
                List<Socket> kept = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
                    kept.add(socket);
                    exchange(socket, "GET /kept HTTP/1.1\r\nHost: localhost\r\n\r\n");
                }
                server.close();
                for (Socket socket : kept) {
                    socket.close();
                }
            }
        } finally {
            netty.detachAppender(warnings);
        }
        assertEquals(List.of(), warnings.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList());
    }
}
