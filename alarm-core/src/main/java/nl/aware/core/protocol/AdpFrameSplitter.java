package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the TCP stream into frame bodies at the u16 length prefix. The declared length is checked
 * before anything is buffered: a length of 0 or above {@link Adp#MAX_FRAME_LENGTH} emits one
 * {@link OversizeFrame} and discards the rest of the stream, so the connection's owner can close it.
 * Emits {@link ByteBuf} bodies (retained slices; the next handler releases them).
 */
public final class AdpFrameSplitter extends ByteToMessageDecoder {
    private boolean discarding;
    private long framesSplit;

    /** The declared length of a frame that ADP/1 does not allow. */
    public record OversizeFrame(int declaredLength) {
    }

    /**
     * Bytes held back waiting for the rest of a frame: never more than one frame. Read by the gateway's
     * frame deadline (a frame must be complete soon after its first byte), by tests and fuzzing.
     */
    public int buffered() {
        return actualReadableBytes();
    }

    /** Frames cut from the stream so far: tells the frame deadline that a new frame has begun. */
    public long framesSplit() {
        return framesSplit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= Adp.LENGTH_FIELD_BYTES) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (length == 0 || length > Adp.MAX_FRAME_LENGTH) {
                discarding = true;
                in.skipBytes(in.readableBytes());
                out.add(new OversizeFrame(length));
                return;
            }
            if (in.readableBytes() < Adp.LENGTH_FIELD_BYTES + length) {
                return;
            }
            in.skipBytes(Adp.LENGTH_FIELD_BYTES);
            out.add(in.readRetainedSlice(length));
            framesSplit++;
        }
    }
}
