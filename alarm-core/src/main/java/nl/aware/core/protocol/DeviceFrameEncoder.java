package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes signed device frames: the device side (simulator). */
@ChannelHandler.Sharable
public final class DeviceFrameEncoder extends MessageToByteEncoder<DeviceFrame> {
    public static final DeviceFrameEncoder INSTANCE = new DeviceFrameEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, DeviceFrame frame, ByteBuf out) {
        frame.writeTo(out);
    }
}
