package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Turns a frame body into a {@link DeviceFrame}, or into a {@link FrameFormatException} message when
 * the body is not valid ADP/1, so that one handler downstream decides what happens (NACK, audit, close).
 */
public final class DeviceFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        try {
            out.add(DeviceFrame.parse(ByteBufUtil.getBytes(body)));
        } catch (FrameFormatException e) {
            out.add(e);
        }
    }
}
