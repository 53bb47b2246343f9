package nl.aware.simulator;

import nl.aware.simulator.device.DeviceSettings;
import picocli.CommandLine;
import nl.aware.gateway.cli.DurationConverter;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How hard and how long the simulated carriers press, and how the devices behave meanwhile. */
final class LoadOptions {
    @Option(names = "--press-rate", paramLabel = "PER_SECOND", defaultValue = "2",
            description = "PANIC presses per second over the whole fleet, at random moments on random devices (default: ${DEFAULT-VALUE}).")
    double pressRate;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to press, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Heartbeat interval of each device (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--location-interval", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "LOCATION update interval after a press (ADP/1: 15s; default: ${DEFAULT-VALUE}).")
    Duration locationInterval;

    @Option(names = "--tracking", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "How long LOCATION updates follow a press (ADP/1: 30m; default: ${DEFAULT-VALUE}).")
    Duration tracking;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event loop threads shared by all devices (default: up to 2).")
    int ioThreads = Math.min(2, Runtime.getRuntime().availableProcessors());

    /** Checks ranges that the types alone do not; a bad value is a usage error (exit 2). */
    DeviceSettings settings(CommandLine commandLine) {
        if (!(pressRate >= 0) || Double.isInfinite(pressRate)) {
            throw new CommandLine.ParameterException(commandLine, "--press-rate must be 0 or more, was " + pressRate);
        }
        if (duration.isZero()) {
            throw new CommandLine.ParameterException(commandLine, "--duration must be more than 0");
        }
        if (ioThreads < 1) {
            throw new CommandLine.ParameterException(commandLine, "--io-threads must be at least 1");
        }
        try {
            return DeviceSettings.defaults().withHeartbeatInterval(heartbeat).withTracking(locationInterval, tracking);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
