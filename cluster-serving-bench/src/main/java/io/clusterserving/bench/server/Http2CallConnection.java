package io.clusterserving.bench.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.collection.IntObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * One cleartext HTTP/2 connection (prior knowledge) carrying unary gRPC calls as bare streams: a
 * HEADERS and a DATA frame out, the reply's frames in, completion from its {@code grpc-status}. Built
 * on Netty's HTTP/2 connection handler (flow control, settings, HPACK) without a per-stream channel or
 * request object, so a call costs the load generator little more than its frames.
 */
final class Http2CallConnection implements AutoCloseable {
    /** How a call ended: {@code failure} null for grpc-status 0; {@code unanswered} when no reply came. */
    interface Completion {
        void done(String failure, boolean unanswered);
    }

    private final Channel channel;
    private final Http2ConnectionHandler handler;
    private final Http2Connection connection;
    /** Calls in flight by stream id; touched on the event loop only. */
    private final IntObjectHashMap<Call> calls = new IntObjectHashMap<>();

    private Http2CallConnection(Channel channel, Http2ConnectionHandler handler, Http2Connection connection) {
        this.channel = channel;
        this.handler = handler;
        this.connection = connection;
    }

    static Http2CallConnection open(EventLoopGroup group, String host, int port) throws InterruptedException {
        Http2Connection connection = new DefaultHttp2Connection(false);
        Replies replies = new Replies();
        Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder().connection(connection)
                .frameListener(replies).build();
        Channel channel = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(handler);
                    }
                })
                .connect(host, port).sync().channel();
        Http2CallConnection c = new Http2CallConnection(channel, handler, connection);
        replies.owner = c;
        channel.closeFuture().addListener(f -> c.failAll("connection closed"));
        return c;
    }

    /** Starts a call; {@code completion} runs on this connection's event loop. Callable from any thread. */
    void call(Http2Headers headers, ByteBuf framedMessage, Completion completion) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> call(headers, framedMessage, completion));
            return;
        }
        if (!channel.isActive()) {
            // Later, not on this stack: a caller that retries at once must not recurse.
            channel.eventLoop().execute(() -> completion.done("connection closed", true));
            return;
        }
        ChannelHandlerContext ctx = channel.pipeline().context(handler);
        int stream = connection.local().incrementAndGetNextStreamId();
        calls.put(stream, new Call(completion));
        ChannelFutureListener failed = f -> {
            if (!f.isSuccess()) {
                complete(stream, "sending failed: " + f.cause(), true);
            }
        };
        handler.encoder().writeHeaders(ctx, stream, headers, 0, false, ctx.newPromise()).addListener(failed);
        handler.encoder().writeData(ctx, stream, framedMessage.retainedDuplicate(), 0, true, ctx.newPromise())
                .addListener(failed);
        // Through the handler, not ctx.flush(): its flush is what moves flow-controlled DATA to the wire.
        handler.flush(ctx);
    }

    private void complete(int stream, String failure, boolean unanswered) {
        Call call = calls.remove(stream);
        if (call != null) {
            call.completion.done(failure, unanswered);
        }
    }

    private void failAll(String why) {
        List<Call> open = new ArrayList<>(calls.values());
        calls.clear();
        for (Call call : open) {
            call.completion.done(why, true);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private record Call(Completion completion) {
    }

    /** Turns the reply frames of each stream into one completion. */
    private static final class Replies extends Http2FrameAdapter {
        Http2CallConnection owner;

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            if (!endOfStream) {
                CharSequence status = headers.status();
                if (status != null && !"200".contentEquals(status)) {
                    owner.complete(streamId, "HTTP " + status + " (not a gRPC reply)", false);
                }
                return; // the reply's headers; its status comes in the trailers
            }
            // Trailers, or the headers of a trailers-only reply: both carry grpc-status.
            owner.complete(streamId, GrpcLoadTransport.failure(str(headers.get("grpc-status")),
                    str(headers.get("grpc-message"))), false);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            if (endOfStream) {
                owner.complete(streamId, "reply without grpc-status", false);
            }
            return data.readableBytes() + padding; // consumed: lets flow control open the window again
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            owner.complete(streamId, "stream reset by the server: " + Http2Error.valueOf(errorCode), true);
        }

        private static String str(CharSequence s) {
            return s == null ? null : s.toString();
        }
    }
}
