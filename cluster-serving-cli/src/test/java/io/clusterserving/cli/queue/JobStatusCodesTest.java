package io.clusterserving.cli.queue;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.job.ClusterServingJob;
import io.clusterserving.flink.job.JobHandle;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.server.http.RestServer;
import io.clusterserving.server.http.RestServerSettings;
import io.clusterserving.server.queue.QueueBackend;
import io.clusterserving.server.queue.QueueInferenceService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Status codes through the real Cluster Serving job (Flink MiniCluster): the job's error results carry
 * their canonical code, the REST frontend over the queue ({@code serve --backend}) answers the HTTP
 * status the direct server answers for the same request, and {@code enqueue --wait} prints the code.
 * Subclasses run it over Redis and over Kafka.
 *
 * <p>The job runs with a 1 ms result timeout, so that a request that decodes fine times out honestly:
 * the core holds it for its batching window (2 ms) and then runs a {@value #SLOW_ROWS}-row batch through
 * a wide MLP, which takes far longer. Unknown models and bad values are found while the request is
 * submitted, before any waiting, so they answer with their own codes.
 */
abstract class JobStatusCodesTest {
    static final String SLOW = "slow_mlp";
    static final int SLOW_ROWS = 256;
    static final int[] SLOW_LAYERS = {256, 1024, 1024, 16};
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final List<AutoCloseable> RUNNING = new ArrayList<>();
    static RestServer direct;
    static RestServer frontend;

    /** Writes half_plus_two and the slow MLP under {@code repo}; starts the direct server over them. */
    static void startModelsAndDirectServer(Path repo) throws Exception {
        ExampleModels.halfPlusTwo(repo);
        ExampleModels.mlp(repo, SLOW, 7, SLOW_LAYERS);
        LocalInferenceService models = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of(ExampleModels.HALF_PLUS_TWO, repo.resolve(ExampleModels.HALF_PLUS_TWO)),
                        ModelConfig.of(SLOW, repo.resolve(SLOW))))
                .fileSystemPollSeconds(60).intraOpThreads(1).interOpThreads(1).build();
        RUNNING.add(models);
        assertThat(models.awaitReady(Duration.ofSeconds(60))).isTrue();
        direct = server(models);
    }

    /** Starts the job with {@code queueKeys} (YAML lines) and the frontend over {@code backendUri}. */
    static void startJobAndFrontend(Path repo, String queueKeys, String backendUri) {
        ClusterServingConfig config = ClusterServingConfig.fromYaml("""
                modelPath: %s
                webUiPort: 0
                batchSize: 4
                checkpointIntervalMillis: 500
                resultTimeoutMillis: 1
                %s
                """.formatted(repo, queueKeys));
        RUNNING.add(ClusterServingJob.start(config));
        QueueInferenceService queue = QueueInferenceService.connect(QueueBackend.parse(backendUri),
                Duration.ofSeconds(60));
        RUNNING.add(queue);
        frontend = server(queue);
    }

    private static RestServer server(io.clusterserving.core.service.InferenceService service) {
        RestServer s = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0)
                .withEventLoops(1).withRestTimeoutMillis(60_000), service,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        RUNNING.add(s);
        return s;
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
        RUNNING.clear();
    }

    /** The {@code enqueue} flags that reach this queue. */
    abstract String[] queueFlags();

    static HttpResponse<String> post(RestServer s, String path, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    QueueCommandsTest.Run enqueue(String uri, String model, String body) {
        List<String> args = new ArrayList<>(List.of("enqueue"));
        args.addAll(Arrays.asList(queueFlags()));
        args.addAll(List.of("--uri", uri, "--model", model, "--data", body, "--wait", "60s"));
        return QueueCommandsTest.run(args.toArray(String[]::new));
    }

    /** The frontend over the job answers {@code status} with the body the direct server answers. */
    static void assertBothAnswer(int status, String path, String body) throws Exception {
        HttpResponse<String> viaQueue = post(frontend, path, body);
        HttpResponse<String> viaDirect = post(direct, path, body);
        assertThat(viaDirect.statusCode()).as(viaDirect.body()).isEqualTo(status);
        assertThat(viaQueue.statusCode()).as(viaQueue.body()).isEqualTo(status);
        assertThat(viaQueue.body()).isEqualTo(viaDirect.body());
    }

    @Test
    void anUnknownModelIsNotFound404AsOnTheDirectServer() throws Exception {
        String body = "{\"instances\": [1.0]}";
        assertBothAnswer(404, "/v1/models/no_such_model:predict", body);

        QueueCommandsTest.Run r = enqueue("unknown-model", "no_such_model", body);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error (NOT_FOUND): ").contains("no_such_model");
    }

    @Test
    void aBadValueIsInvalidArgument400AsOnTheDirectServer() throws Exception {
        String body = "{\"instances\": [1.0, \"two\"]}";
        assertBothAnswer(400, "/v1/models/half_plus_two:predict", body);
        assertBothAnswer(400, "/v2/models/half_plus_two/infer",
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [\"two\"]}]}");

        QueueCommandsTest.Run r = enqueue("bad-value", "half_plus_two", body);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error (INVALID_ARGUMENT): ");
    }

    @Test
    void aRequestUnansweredWithinTheResultTimeoutIsDeadlineExceeded504() throws Exception {
        String body = slowBody();
        HttpResponse<String> viaQueue = post(frontend, "/v1/models/" + SLOW + ":predict", body);
        assertThat(viaQueue.statusCode()).as(viaQueue.body()).isEqualTo(504);
        assertThat(viaQueue.body()).contains("did not finish within PT0.001S");

        QueueCommandsTest.Run r = enqueue("slow", SLOW, body);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error (DEADLINE_EXCEEDED): ");
    }

    /** {@value #SLOW_ROWS} rows of the slow MLP's input width. */
    static String slowBody() {
        String row = Arrays.stream(new int[SLOW_LAYERS[0]]).mapToObj(i -> "0.5")
                .collect(Collectors.joining(",", "[", "]"));
        return "{\"instances\": [" + String.join(",", java.util.Collections.nCopies(SLOW_ROWS, row)) + "]}";
    }
}
