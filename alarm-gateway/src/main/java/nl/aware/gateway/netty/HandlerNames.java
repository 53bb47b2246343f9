package nl.aware.gateway.netty;

/** Names of the device pipeline's handlers, in pipeline order (see {@link DeviceChannelInitializer}). */
public final class HandlerNames {
    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String TLS = "tls";
    public static final String IDENTITY = "identity";
    public static final String IDLE = "idle";
    public static final String FRAME_DEADLINE = "frame-deadline";
    public static final String FRAME_SPLITTER = "frame-splitter";
    public static final String FRAME_DECODER = "frame-decoder";
    public static final String FRAME_ENCODER = "frame-encoder";
    public static final String FRAMES = "frames";

    private HandlerNames() {
    }
}
