package io.clusterserving.server.http;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.onnx.build.ExampleModels;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts dense128 + half_plus_two on 127.0.0.1:{port} for load tests with wrk (not a unit test).
 * Args: port [eventLoops] [inferenceOnEventLoop].
 */
public final class RestBenchmarkMain {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        boolean inline = args.length <= 2 || Boolean.parseBoolean(args[2]);
        Path repo = Files.createTempDirectory("cs-bench");
        ExampleModels.halfPlusTwo(repo);
        ExampleModels.dense128(repo);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LocalInferenceService service = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("dense128", repo.resolve("dense128")),
                        ModelConfig.of("half_plus_two", repo.resolve("half_plus_two"))))
                .fileSystemPollSeconds(60).intraOpThreads(1).interOpThreads(1).meterRegistry(registry).build();
        if (!service.awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("models did not load");
        }
        RestServer server = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(port)
                .withEventLoops(loops).withInferenceOnEventLoop(inline), service, registry);
        System.out.println("listening on " + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            service.close();
        }));
        Thread.currentThread().join();
    }
}
