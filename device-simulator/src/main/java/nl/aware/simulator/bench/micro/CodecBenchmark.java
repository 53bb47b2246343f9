package nl.aware.simulator.bench.micro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.DeviceFrameDecoder;
import nl.aware.core.protocol.FrameFormatException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** ADP/1 decoding of a 108-byte PANIC: the parser alone, and the gateway's splitter + decoder in a pipeline. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private byte[] wire;
    private byte[] body;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() throws Exception {
        wire = Keys.panic(Keys.p256(), 1).wireBytes();
        body = Arrays.copyOfRange(wire, 2, wire.length);
        channel = new EmbeddedChannel(new AdpFrameSplitter(), new DeviceFrameDecoder());
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public DeviceFrame parse() throws FrameFormatException {
        return DeviceFrame.parse(body);
    }

    @Benchmark
    public Object splitAndDecode() {
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        channel.writeInbound(in);
        return channel.readInbound();
    }
}
