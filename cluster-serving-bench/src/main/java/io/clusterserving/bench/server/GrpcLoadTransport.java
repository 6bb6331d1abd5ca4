package io.clusterserving.bench.server;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC unary calls as bare HTTP/2 streams (cleartext, prior knowledge) carrying one length-prefixed
 * message encoded up front: a load generator as light as the REST one, which posts a prepared JSON
 * body. A full gRPC client stack costs the caller several times the server's CPU per small call, and
 * on a small machine client and server share the cores, so a heavy client would measure itself. A
 * call succeeds when its {@code grpc-status} (in the trailers, or in the headers of a trailers-only
 * reply) is 0. Users are spread round-robin over {@code connections} HTTP/2 connections.
 */
public final class GrpcLoadTransport implements LoadTransport {
    private final EventLoopGroup group;
    private final String host;
    private final int port;
    private final Http2Headers headers;
    private final ByteBuf framed;
    private final int connections;

    /**
     * @param path        the method path, e.g. {@code /tensorflow.serving.PredictionService/Predict}
     * @param message     the serialized request message
     * @param connections HTTP/2 connections per run; 0 = one per 8 users
     */
    public GrpcLoadTransport(String host, int port, String path, byte[] message, int connections, int eventLoops) {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, io);
        this.host = host;
        this.port = port;
        // The same headers for every call: HPACK encodes them from its dynamic table after the first.
        this.headers = new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority(host + ":" + port)
                .add("content-type", "application/grpc").add("te", "trailers");
        // gRPC's length-prefixed message: 1 byte "not compressed", 4 bytes big-endian length, the message.
        this.framed = Unpooled.unreleasableBuffer(Unpooled.buffer(message.length + 5)
                .writeByte(0).writeInt(message.length).writeBytes(message).asReadOnly());
        this.connections = connections;
    }

    /** How many connections a run of {@code users} gets. */
    int connectionsFor(int users) {
        return connections > 0 ? Math.min(connections, users) : Math.max(1, (users + 7) / 8);
    }

    @Override
    public Session open(int users) {
        List<Http2CallConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < connectionsFor(users); i++) {
                open.add(Http2CallConnection.open(group, host, port));
            }
        } catch (InterruptedException e) {
            open.forEach(Http2CallConnection::close);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + host + ":" + port, e);
        } catch (RuntimeException e) {
            open.forEach(Http2CallConnection::close);
            throw new ServingException(StatusCode.UNAVAILABLE, "cannot connect to " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        return new Session() {
            @Override
            public void send(int user, Outcome outcome) {
                open.get(user % open.size()).call(headers, framed, (failure, unanswered) -> {
                    if (failure == null) {
                        outcome.succeeded();
                    } else {
                        outcome.failed(failure, unanswered);
                    }
                });
            }

            @Override
            public void later(long millis, Runnable action) {
                group.schedule(action, millis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                open.forEach(Http2CallConnection::close);
            }
        };
    }

    /** Null for grpc-status 0, else what the call got ({@code message} percent-encoded, as gRPC sends it). */
    static String failure(String status, String message) {
        if ("0".equals(status)) {
            return null;
        }
        if (status == null) {
            return "reply without grpc-status";
        }
        String text = message == null ? "" : ": " + URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
        String name;
        try {
            name = Status.fromCodeValue(Integer.parseInt(status)).getCode().name();
        } catch (NumberFormatException e) {
            name = status;
        }
        return "gRPC " + name + text;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
