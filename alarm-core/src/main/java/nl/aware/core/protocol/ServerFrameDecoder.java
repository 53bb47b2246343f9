package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/** Turns a frame body from the server into a {@link ServerFrame}: the device side (simulator). */
public final class ServerFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) throws FrameFormatException {
        out.add(ServerFrame.read(body));
    }
}
