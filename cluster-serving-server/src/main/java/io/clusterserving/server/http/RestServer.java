package io.clusterserving.server.http;

import io.clusterserving.core.service.InferenceService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The REST frontend (TF Serving REST + V2 + metrics) over an InferenceService: one HTTP server per
 * event loop, all on one port. It owns its Vert.x instance, not the service: closing the server leaves
 * the service to its owner.
 */
public final class RestServer implements AutoCloseable {
    private final Vertx vertx;
    private final RestApi api;
    private final int port;
    private final String deployment;

    private RestServer(Vertx vertx, RestApi api, int port, String deployment) {
        this.vertx = vertx;
        this.api = api;
        this.port = port;
        this.deployment = deployment;
    }

    /** Starts the server and blocks until every event loop's server is bound. */
    public static RestServer start(RestServerSettings settings, InferenceService service,
                                   PrometheusMeterRegistry registry) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(settings.eventLoops())
                .setWorkerPoolSize(2) // nothing of ours runs on Vert.x workers
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        RestApi api;
        try {
            api = new RestApi(settings, service, registry);
        } catch (RuntimeException e) {
            closeVertx(vertx);
            throw e;
        }
        try {
            // A negative port makes Vert.x pick one random port and share it between all instances.
            int port = settings.restPort() == 0 ? -1 : settings.restPort();
            List<RestVerticle> instances = new CopyOnWriteArrayList<>();
            String deployment = await(vertx.deployVerticle(() -> {
                RestVerticle v = new RestVerticle(api, port);
                instances.add(v);
                return v;
            }, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP)
                    .setInstances(settings.eventLoops())));
            return new RestServer(vertx, api, instances.get(0).actualPort(), deployment);
        } catch (RuntimeException e) {
            api.close();
            closeVertx(vertx);
            throw e;
        }
    }

    /** The bound port (the chosen one when the settings asked for port 0). */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            try {
                await(vertx.undeploy(deployment));
            } catch (RuntimeException e) {
                // Vert.x may already be closing; the deployment is gone either way.
            }
            api.close();
        } finally {
            closeVertx(vertx);
        }
    }

    private static void closeVertx(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing is best effort: the event loops are daemon-free only after this returns
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the REST server", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("REST server failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("REST server did not start within 30 s", e);
        }
    }
}
