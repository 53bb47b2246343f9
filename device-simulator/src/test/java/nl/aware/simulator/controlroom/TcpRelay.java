package nl.aware.simulator.controlroom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP relay between a browser and the server (TLS passes through untouched, end to end), so a test
 * can break the browser's connections the way a network does: {@link #cut()} closes every open one and
 * refuses new ones until {@link #restore()}; {@link #freeze()} keeps them open but lets nothing through (a
 * half-dead path: the connection looks alive, the heartbeats stop) until {@link #thaw()}.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private final Object gate = new Object();
    private boolean frozen; // guarded by gate
    private volatile boolean closed;

    private TcpRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    static TcpRelay to(InetSocketAddress target) throws IOException {
        TcpRelay relay = new TcpRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
        Thread acceptor = new Thread(relay::accept, "tcp-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                quietly(client);
                continue;
            }
            try {
                Socket server = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                quietly(client); // the server is away: the browser sees a broken connection, as it would
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitThaw();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: both are closed below
            } finally {
                quietly(from);
                quietly(to);
            }
        }, "tcp-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitThaw() throws IOException {
        synchronized (gate) {
            while (frozen && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("relay interrupted while frozen", e);
                }
            }
        }
    }

    /** Holds every byte in both directions; the connections stay open. */
    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Lets the held bytes and everything after them through again. */
    void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Breaks every open connection and refuses new ones. */
    void cut() {
        refusing = true;
        open.forEach(TcpRelay::quietly);
        open.clear();
    }

    void restore() {
        refusing = false;
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that is already broken: nothing left to do
        }
    }

    @Override
    public void close() {
        closed = true;
        thaw();
        cut();
        try {
            listener.close();
        } catch (IOException e) {
            // the listener is gone either way
        }
    }
}
