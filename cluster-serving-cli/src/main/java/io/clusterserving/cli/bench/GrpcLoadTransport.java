package io.clusterserving.cli.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC unary calls as raw HTTP/2 (cleartext, prior knowledge) POSTs of one length-prefixed message
 * encoded up front: a load generator as light as the REST one, which posts a prepared JSON body.
 * A full gRPC client stack costs the caller several times the server's CPU per small call, and on a
 * small machine client and server share the cores, so a heavy client would measure itself. A call
 * succeeds when its {@code grpc-status} (in the trailers, or in the headers of a trailers-only reply)
 * is 0. Users are spread round-robin over {@code connections} HTTP/2 connections, one stream per call.
 */
final class GrpcLoadTransport implements LoadTransport {
    private static final long REQUEST_TIMEOUT_MILLIS = 60_000;

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final String path;
    private final Buffer framed;
    private final int connections;

    /**
     * @param path        the method path, e.g. {@code /tensorflow.serving.PredictionService/Predict}
     * @param message     the serialized request message
     * @param connections HTTP/2 connections per run; 0 = one per 8 users
     */
    GrpcLoadTransport(String host, int port, String path, byte[] message, int connections, int eventLoops) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        this.host = host;
        this.port = port;
        this.path = path;
        // gRPC's length-prefixed message: 1 byte "not compressed", 4 bytes big-endian length, the message.
        this.framed = Buffer.buffer(message.length + 5).appendByte((byte) 0).appendInt(message.length)
                .appendBytes(message);
        this.connections = connections;
    }

    /** How many connections a run of {@code users} gets. */
    int connectionsFor(int users) {
        return connections > 0 ? Math.min(connections, users) : Math.max(1, (users + 7) / 8);
    }

    @Override
    public Session open(int users) {
        List<HttpClientAgent> clients = new ArrayList<>();
        for (int i = 0; i < connectionsFor(users); i++) {
            // One client per connection, each limited to one: Vert.x would otherwise stack every stream
            // on the first connection until the server's stream limit.
            clients.add(vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                            .setHttp2ClearTextUpgrade(false).setConnectTimeout(10_000),
                    new PoolOptions().setHttp2MaxSize(1).setMaxWaitQueueSize(-1)));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI(path).setIdleTimeout(REQUEST_TIMEOUT_MILLIS)
                .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
        return new Session() {
            @Override
            public void send(int user, Outcome outcome) {
                clients.get(user % clients.size()).request(options)
                        .compose(request -> request.send(framed))
                        .compose(response -> response.end().map(done -> response))
                        .onComplete(result -> {
                            if (result.failed()) {
                                Throwable cause = result.cause();
                                outcome.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage(), true);
                                return;
                            }
                            String failure = failure(result.result());
                            if (failure == null) {
                                outcome.succeeded();
                            } else {
                                outcome.failed(failure, false);
                            }
                        });
            }

            @Override
            public void later(long millis, Runnable action) {
                vertx.setTimer(millis, id -> action.run());
            }

            @Override
            public void close() {
                for (HttpClientAgent client : clients) {
                    try {
                        client.close().await(10, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        // connections still closing; the next run's clients are independent of them
                    }
                }
            }
        };
    }

    /** Null for an OK call, else what it got. */
    static String failure(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode() + " (not a gRPC reply)";
        }
        String status = response.trailers().get("grpc-status");
        String message = response.trailers().get("grpc-message");
        if (status == null) { // a trailers-only reply carries its status in the headers
            status = response.getHeader("grpc-status");
            message = response.getHeader("grpc-message");
        }
        if ("0".equals(status)) {
            return null;
        }
        if (status == null) {
            return "reply without grpc-status";
        }
        String text = message == null ? "" : ": " + URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
        String name;
        try {
            name = io.grpc.Status.fromCodeValue(Integer.parseInt(status)).getCode().name();
        } catch (NumberFormatException e) {
            name = status;
        }
        return "gRPC " + name + text;
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // event loops still stopping; they are daemon threads and end with the process
        }
    }
}
