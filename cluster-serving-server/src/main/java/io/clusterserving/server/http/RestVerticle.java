package io.clusterserving.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** One HTTP server instance bound to one event loop; several share the port (Vert.x round-robins accepts). */
final class RestVerticle extends VerticleBase {
    private final RestApi api;
    private final int port;
    private volatile HttpServer server;

    RestVerticle(RestApi api, int port) {
        this.api = api;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(api.settings().host())
                .setPort(port)
                .setDecompressionSupported(true)
                .setCompressionSupported(true)
                .setCompressionContentSizeThreshold(1024)
                // Every response is written on the request's event loop (Exchange.onContext), which lets
                // Vert.x 5 skip its cross-thread synchronization on HTTP/1.x connections.
                .setStrictThreadMode(true)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        return vertx.createHttpServer(options)
                .requestHandler(new RestRequestHandler(api, context))
                .listen()
                .onSuccess(s -> server = s);
    }

    int actualPort() {
        return server.actualPort();
    }
}
