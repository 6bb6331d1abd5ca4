package io.clusterserving.server.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's own Netty event loops (epoll where available). grpc-java would otherwise share
 * one process-wide group between servers and client channels; with inference running inline on the
 * event loop, a slow model would then also stall the I/O (and deadline timers) of gRPC clients in the
 * same JVM — an embedding application, or the tests.
 */
final class GrpcEventLoops implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    GrpcEventLoops(int workerThreads, ThreadFactory bossThreads, ThreadFactory workerThreadFactory) {
        if (Epoll.isAvailable()) {
            boss = new EpollEventLoopGroup(1, bossThreads);
            workers = new EpollEventLoopGroup(workerThreads, workerThreadFactory);
        } else {
            boss = new NioEventLoopGroup(1, bossThreads);
            workers = new NioEventLoopGroup(workerThreads, workerThreadFactory);
        }
    }

    NettyServerBuilder applyTo(NettyServerBuilder builder) {
        return builder.bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .channelType(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
