package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes ACK, NACK and COMMAND frames to a device. */
@ChannelHandler.Sharable
public final class ServerFrameEncoder extends MessageToByteEncoder<ServerFrame> {
    public static final ServerFrameEncoder INSTANCE = new ServerFrameEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerFrame frame, ByteBuf out) {
        ServerFrame.write(frame, out);
    }
}
