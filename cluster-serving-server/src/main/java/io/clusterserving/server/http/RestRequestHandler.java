package io.clusterserving.server.http;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.service.RawPredictBackend;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Entry point of every REST request on one event loop: reads the body within the size limit, finds
 * the route, checks the method and calls the endpoint. Anything an endpoint throws becomes a
 * {@code {"error": ...}} response with the status code's HTTP mapping.
 */
final class RestRequestHandler implements Handler<HttpServerRequest> {
    private final RestApi api;
    private final Context context;
    private final long maxBody;
    private final TfServingEndpoints tf;
    private final V2Endpoints v2;
    private final MetricsEndpoint metrics;
    private final RawPredictEndpoints raw; // null unless the service forwards bodies (queue backend)

    RestRequestHandler(RestApi api, Context context) {
        this.api = api;
        this.context = context;
        this.maxBody = api.settings().maxRequestBytes();
        this.tf = new TfServingEndpoints(api);
        this.v2 = new V2Endpoints(api);
        this.metrics = new MetricsEndpoint(api.registry());
        this.raw = api.service() instanceof RawPredictBackend backend ? new RawPredictEndpoints(api, backend) : null;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange ex = new Exchange(request, context, api, System.nanoTime());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredTooLarge(length)) {
            ex.rejectTooLarge(maxBody);
            return;
        }
        BodyCollector collector = new BodyCollector(ex);
        request.handler(collector);
        request.endHandler(collector::end);
        request.exceptionHandler(t -> ex.fail(ServingException.invalidArgument("could not read the request: %s",
                t.getMessage())));
    }

    private boolean declaredTooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBody;
        } catch (NumberFormatException e) {
            return false; // Netty rejects malformed lengths itself
        }
    }

    private void dispatch(Exchange ex, Buffer body) {
        HttpServerRequest request = ex.request;
        try {
            RestRoute route = api.paths().parse(request.path());
            if (route == null) {
                ex.sendError(404, "no such endpoint: " + request.method() + " " + request.path());
                return;
            }
            ex.family = route.kind().family;
            HttpMethod method = request.method();
            if (method != route.kind().method) {
                request.response().putHeader(HttpHeaders.ALLOW, route.kind().method.name());
                ex.sendError(405, "method " + method + " is not allowed on " + request.path() + "; use "
                        + route.kind().method);
                return;
            }
            switch (route.kind()) {
                case TF_PREDICT -> {
                    if (raw != null) {
                        raw.predict(ex, route, BodyBytes.of(body));
                    } else {
                        tf.predict(ex, route, BodyBytes.of(body));
                    }
                }
                case TF_CLASSIFY -> tf.classify(ex, route, BodyBytes.of(body));
                case TF_REGRESS -> tf.regress(ex, route, BodyBytes.of(body));
                case TF_STATUS -> tf.status(ex, route);
                case TF_METADATA -> tf.metadata(ex, route);
                case TF_STATS -> tf.stats(ex, route);
                case TF_LIST -> tf.list(ex);
                case V2_SERVER -> v2.server(ex);
                case V2_LIVE -> v2.live(ex);
                case V2_READY -> v2.ready(ex);
                case V2_MODEL -> v2.model(ex, route);
                case V2_MODEL_READY -> v2.modelReady(ex, route);
                case V2_INFER -> {
                    if (raw != null) {
                        raw.infer(ex, route, BodyBytes.of(body));
                    } else {
                        v2.infer(ex, route, BodyBytes.of(body));
                    }
                }
                case METRICS -> metrics.scrape(ex);
            }
        } catch (Throwable t) {
            ex.fail(t);
        }
    }

    /** Gathers body chunks, keeping a single-chunk body as it is (no copy), and enforces the size limit. */
    private final class BodyCollector implements Handler<Buffer> {
        private final Exchange ex;
        private Buffer body;
        private boolean owned;
        private long size;

        BodyCollector(Exchange ex) {
            this.ex = ex;
        }

        @Override
        public void handle(Buffer chunk) {
            if (ex.isDone()) {
                return;
            }
            size += chunk.length();
            if (size > maxBody) {
                body = null;
                ex.rejectTooLarge(maxBody);
                return;
            }
            if (body == null) {
                body = chunk;
            } else {
                if (!owned) {
                    Buffer b = Buffer.buffer((int) Math.min(maxBody, Math.max(4096, size * 2)));
                    b.appendBuffer(body);
                    body = b;
                    owned = true;
                }
                body.appendBuffer(chunk);
            }
        }

        void end(Void v) {
            if (!ex.isDone()) {
                dispatch(ex, body);
            }
        }
    }
}
