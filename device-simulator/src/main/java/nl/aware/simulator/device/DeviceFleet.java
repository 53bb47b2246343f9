package nl.aware.simulator.device;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.http.Transports;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many simulated devices sharing one event loop group, and the carriers pressing their buttons:
 * presses arrive as a Poisson process at a given rate over the whole fleet, each on a random device.
 */
public final class DeviceFleet implements AutoCloseable {
    private final String host;
    private final int port;
    private final X509Certificate trustedCa;
    private final DeviceSettings settings;
    private final FleetStats stats = new FleetStats();
    private final EventLoopGroup group;
    private final EventLoop pressLoop;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean pressing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledFuture<?> nextPress;

    public DeviceFleet(String host, int port, X509Certificate trustedCa, DeviceSettings settings, int ioThreads) {
        this.host = host;
        this.port = port;
        this.trustedCa = trustedCa;
        this.settings = settings;
        this.group = Transports.group(ioThreads);
        this.pressLoop = group.next();
    }

    /** Adds a device (not yet connected). Not thread-safe: build the fleet first, then {@link #start()}. */
    public SimulatedDevice add(long deviceId, IssuedCredential credential, City city) throws SSLException {
        SimulatedDevice device = new SimulatedDevice(deviceId, credential, trustedCa, host, port, city, group,
                settings, stats);
        devices.add(device);
        return device;
    }

    public void start() {
        devices.forEach(SimulatedDevice::start);
    }

    public List<SimulatedDevice> devices() {
        return List.copyOf(devices);
    }

    public FleetStats stats() {
        return stats;
    }

    /** Random presses at {@code perSecond} over the fleet until {@link #stopPressing()}. */
    public void startPressing(double perSecond) {
        if (perSecond <= 0 || devices.isEmpty()) {
            return;
        }
        pressing = true;
        pressLoop.execute(() -> scheduleNextPress(perSecond));
    }

    public void stopPressing() {
        pressing = false;
        pressLoop.execute(() -> {
            if (nextPress != null) {
                nextPress.cancel(false);
            }
        });
    }

    /** Waits until every press is ACKed or refused for good, at most {@code timeout}; true if none is left. */
    public boolean awaitPressesSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats.pressesInFlight() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void scheduleNextPress(double perSecond) {
        if (!pressing) {
            return;
        }
        // Exponential gaps: independent carriers pressing at random moments.
        long gapNanos = (long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
        nextPress = pressLoop.schedule(() -> {
            if (pressing) {
                devices.get(random.nextInt(devices.size())).press();
                scheduleNextPress(perSecond);
            }
        }, gapNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops every device, then the event loops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopPressing();
        List<Future<?>> stops = new ArrayList<>();
        for (SimulatedDevice device : devices) {
            stops.add(device.stop());
        }
        stops.forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
