package io.clusterserving.server.grpc;

import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.protocol.grpc.inference.GRPCInferenceServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.ModelServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC frontend: TF Serving's {@code PredictionService} and {@code ModelService}, the V2
 * {@code GRPCInferenceService}, {@code grpc.health.v1.Health} and server reflection, on one port.
 */
public final class GrpcServer implements AutoCloseable {
    private static final long SHUTDOWN_GRACE_MS = 5_000;

    private final Server server;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final GrpcEventLoops eventLoops;

    private GrpcServer(Server server, ExecutorService executor, ScheduledExecutorService scheduler,
                       GrpcEventLoops eventLoops) {
        this.server = server;
        this.executor = executor;
        this.scheduler = scheduler;
        this.eventLoops = eventLoops;
    }

    /**
     * Starts serving. Model reload (ModelService.HandleReloadConfigRequest) works when the service is a
     * {@link LocalInferenceService}; other services answer it UNIMPLEMENTED.
     */
    public static GrpcServer start(GrpcServerSettings settings, InferenceService service) {
        return start(settings, service, null);
    }

    /**
     * As {@link #start(GrpcServerSettings, InferenceService)}, also counting calls per method into
     * {@code registry}.
     */
    public static GrpcServer start(GrpcServerSettings settings, InferenceService service, MeterRegistry registry) {
        ModelReloader reloader = service instanceof LocalInferenceService local ? local::reloadModels : null;
        return start(settings, service, reloader, registry);
    }

    /**
     * The general form.
     *
     * @param reloader what HandleReloadConfigRequest calls; null answers it UNIMPLEMENTED
     * @param registry where per-method call counts go; null for none
     */
    public static GrpcServer start(GrpcServerSettings settings, InferenceService service, ModelReloader reloader,
                                   MeterRegistry registry) {
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), daemonThreads("grpc-handler"));
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(daemonThreads("grpc-health-watch"));
        GrpcEventLoops eventLoops = new GrpcEventLoops(Runtime.getRuntime().availableProcessors(),
                daemonThreads("grpc-accept"), daemonThreads("grpc-event-loop"));
        Set<String> services = Set.of(PredictionServiceGrpc.SERVICE_NAME, ModelServiceGrpc.SERVICE_NAME,
                GRPCInferenceServiceGrpc.SERVICE_NAME);
        NettyServerBuilder builder = eventLoops.applyTo(NettyServerBuilder
                .forAddress(new InetSocketAddress(settings.host(), settings.port())))
                .executor(executor)
                .maxInboundMessageSize(settings.maxMessageBytes())
                .addService(intercepted(new PredictionGrpcService(service), registry))
                .addService(intercepted(new ModelGrpcService(service, reloader), registry))
                .addService(intercepted(new V2GrpcService(service, version()), registry))
                .addService(new HealthGrpcService(service, services, scheduler))
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(legacyReflection());
        if (settings.inferenceOnEventLoop()) {
            builder.callExecutor(new InferenceCallExecutor());
        }
        try {
            return new GrpcServer(builder.build().start(), executor, scheduler, eventLoops);
        } catch (IOException e) {
            executor.shutdownNow();
            scheduler.shutdownNow();
            eventLoops.close();
            throw new UncheckedIOException("cannot listen for gRPC on " + settings.host() + ":" + settings.port(), e);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            scheduler.shutdownNow();
            eventLoops.close();
            throw e;
        }
    }

    /** The bound port (the chosen one when the settings asked for port 0). */
    public int port() {
        return server.getPort();
    }

    /** Stops accepting calls, lets running ones finish for a few seconds, then cancels the rest. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            scheduler.shutdownNow();
            executor.shutdownNow();
            eventLoops.close();
        }
    }

    private static io.grpc.ServerServiceDefinition intercepted(BindableService service, MeterRegistry registry) {
        return registry == null ? service.bindService()
                : ServerInterceptors.intercept(service, new MethodMetricsInterceptor(registry));
    }

    /** v1alpha reflection too: older grpcurl, Postman and evans only speak that one. */
    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    private static String version() {
        try (InputStream in = GrpcServer.class.getResourceAsStream(
                "/META-INF/maven/io.clusterserving/cluster-serving-server/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through: a missing version is not worth failing startup for
        }
        return "dev";
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
