package io.clusterserving.bench.server;

import io.clusterserving.core.error.ServingException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** HTTP/1.1 POSTs of one JSON body (TF Serving REST or V2), each user on its own keep-alive connection. */
public final class HttpLoadTransport implements LoadTransport {
    private static final long REQUEST_TIMEOUT_MILLIS = 60_000;

    private final Vertx vertx;
    private final BenchTarget target;
    private final Buffer body;

    /**
     * @param url       the server's base URL, {@code http(s)://host:port[/prefix]}
     * @param inferPath the inference path under it, e.g. {@code /v1/models/m:predict}
     * @throws ServingException INVALID_ARGUMENT when {@code url} is not an http(s) URL
     */
    public HttpLoadTransport(String url, String inferPath, Buffer body, int eventLoops) {
        this.target = BenchTarget.of(url, inferPath);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        this.body = body;
    }

    @Override
    public Session open(int users) {
        HttpClientAgent client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setSsl(target.ssl()).setTrustAll(target.ssl())
                        .setVerifyHost(false).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(users).setMaxWaitQueueSize(-1));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setURI(target.path()).setIdleTimeout(REQUEST_TIMEOUT_MILLIS)
                .putHeader("Content-Type", "application/json");
        return new Session() {
            @Override
            public void send(int user, Outcome outcome) {
                client.request(options)
                        .compose(request -> request.send(body))
                        .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer)))
                        .onComplete(result -> {
                            if (result.failed()) {
                                Throwable cause = result.cause();
                                outcome.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage(), true);
                            } else if (result.result().isSuccess()) {
                                outcome.succeeded();
                            } else {
                                outcome.failed(result.result().describe(), false);
                            }
                        });
            }

            @Override
            public void later(long millis, Runnable action) {
                vertx.setTimer(millis, id -> action.run());
            }

            @Override
            public void close() {
                try {
                    client.close().await(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // connections still closing; the next run's client is independent of them
                }
            }
        };
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // event loops still stopping; they are daemon threads and end with the process
        }
    }

    private record Answer(int status, Buffer body) {
        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        String describe() {
            String text = body.toString().strip();
            return "HTTP " + status + ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }
}
