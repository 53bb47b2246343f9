package nl.aware.dispatch.callback;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.EventRecorder;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.work.DispatchProjection;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS endpoint control rooms report an alert's lifecycle to: TLS 1.3, the control room's
 * client certificate required. Low volume, so plain NIO and one thread.
 */
public final class CallbackServer implements AutoCloseable {
    public static final String PATH_PREFIX = "/police/v1/alerts/";

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    public CallbackServer(DispatchConfig.CallbackConfig config, PrivateKey serverKey, X509Certificate[] serverChain,
                          DispatchProjection projection, EventRecorder recorder) throws SSLException, InterruptedException {
        this(config, serverKey, serverChain, projection, new LifecycleGate(projection, recorder));
    }

    /** With the server's one {@link LifecycleGate}, shared with the control-room console. */
    public CallbackServer(DispatchConfig.CallbackConfig config, PrivateKey serverKey, X509Certificate[] serverChain,
                          DispatchProjection projection, LifecycleGate gate) throws SSLException, InterruptedException {
        SslContext tls = SslContextBuilder.forServer(serverKey, serverChain).protocols("TLSv1.3")
                .clientAuth(ClientAuth.REQUIRE).trustManager(config.trustedClients()).build();
        try {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()))
                                    .addLast("read-timeout", new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("aggregate", new HttpObjectAggregator(16 * 1024))
                                    .addLast("status", new StatusCallbackHandler(config.reporters(), projection, gate));
                        }
                    }).bind(config.bindAddress(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
