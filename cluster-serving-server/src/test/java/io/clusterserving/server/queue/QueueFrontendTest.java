package io.clusterserving.server.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.clusterserving.queue.envelope.DecodedRequest;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import io.clusterserving.queue.worker.QueueScorer;
import io.clusterserving.server.http.RestServer;
import io.clusterserving.server.http.RestServerSettings;
import io.clusterserving.server.queue.testing.RedisQueueWorker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST frontend over a real redis-server: predict bodies go through the request stream to a worker
 * thread running ONNX half_plus_two with LocalInferenceService, and the worker's answer comes back verbatim.
 */
@ExtendWith(RedisServerExtension.class)
class QueueFrontendTest {
    private static final String JOB = "frontend_test_stream";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path repo;
    static LocalInferenceService models;
    static RedisQueueWorker worker;
    static QueueInferenceService queue;
    static RestServer server;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start(RedisServer redis) throws Exception {
        ExampleModels.halfPlusTwo(repo);
        models = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("half_plus_two", repo.resolve("half_plus_two"))))
                .fileSystemPollSeconds(60).intraOpThreads(1).interOpThreads(1).build();
        assertThat(models.awaitReady(Duration.ofSeconds(60))).isTrue();
        worker = new RedisQueueWorker(redis.endpoint(), JOB, models);
        queue = QueueInferenceService.connect(QueueBackend.parse(redis.uri() + "/" + JOB), Duration.ofSeconds(20));
        server = startServer(queue, 20_000);
    }

    static RestServer startServer(QueueInferenceService service, long timeoutMillis) {
        return RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0).withEventLoops(1)
                .withRestTimeoutMillis(timeoutMillis), service, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (models != null) {
            models.close();
        }
    }

    static HttpResponse<String> post(RestServer s, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tfServingPredictComesBackExactlyAsTheWorkerWroteIt() throws Exception {
        HttpResponse<String> r = post(server, "/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void columnarBodyAndVersionTravelToo() throws Exception {
        HttpResponse<String> r = post(server, "/v1/models/half_plus_two/versions/1:predict",
                "{\"inputs\": {\"x\": [4.0]}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"outputs\":[4.0]}");

        HttpResponse<String> missing = post(server, "/v1/models/half_plus_two/versions/7:predict",
                "{\"instances\": [1.0]}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("version 7");
    }

    @Test
    void v2InferThroughTheQueue() throws Exception {
        HttpResponse<String> r = post(server, "/v2/models/half_plus_two/infer",
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1.0, 2.0, 5.0]}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.get("model_name").asText()).isEqualTo("half_plus_two");
        assertThat(body.get("model_version").asText()).isEqualTo("1");
        assertThat(body.get("outputs").get(0).get("data").toString()).isEqualTo("[2.5,3.0,4.5]");
    }

    @Test
    void aBadBodyComesBackAs400WithTheWorkersError() throws Exception {
        HttpResponse<String> r = post(server, "/v1/models/half_plus_two:predict", "{\"instances\": [1.0, \"two\"]}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = MAPPER.readTree(r.body());
        assertThat(error.fieldNames()).toIterable().containsExactly("error");
        // Exactly the message the worker step produces for that body.
        QueueResult direct = scorer().score(List.of(QueueRequest.of("direct", "{\"instances\": [1.0, \"two\"]}")))
                .get(0);
        assertThat(direct.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(error.get("error").asText()).isEqualTo(direct.error());

        HttpResponse<String> notJson = post(server, "/v1/models/half_plus_two:predict", "[1, 2]");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("JSON object");
    }

    @Test
    void anUnknownModelIs404BecauseTheResultCarriesItsCode() throws Exception {
        HttpResponse<String> r = post(server, "/v1/models/no_such_model:predict", "{\"instances\": [1.0]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no_such_model");
    }

    @Test
    void withoutAWorkerTheRequestTimesOutWith504(RedisServer redis) throws Exception {
        try (QueueInferenceService lonely = QueueInferenceService.connect(
                QueueBackend.parse(redis.uri() + "/nobody_reads_this"), Duration.ofSeconds(20));
             RestServer s = startServer(lonely, 500)) {
            HttpResponse<String> r = post(s, "/v1/models/half_plus_two:predict", "{\"instances\": [1.0]}");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("timed out after 500 ms");
        }
    }

    @Test
    void statusAndMetadataSayWhereToAskInstead() throws Exception {
        HttpResponse<String> status = get("/v1/models/half_plus_two");
        assertThat(status.statusCode()).isEqualTo(501);
        assertThat(status.body()).contains("model status is not available through the redis backend")
                .contains("ask the Cluster Serving job");
        assertThat(get("/v1/models/half_plus_two/metadata").statusCode()).isEqualTo(501);
        assertThat(get("/v2/models/half_plus_two").statusCode()).isEqualTo(501);
    }

    @Test
    void readyMeansTheQueueAnswers() throws Exception {
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(queue.isReady()).isTrue();
    }

    @Test
    void workerStepAnswersEveryEntryNamingModelVersionAndCode() {
        QueueRequest ok = new QueueRequest("a", null, null, "reply", "{\"instances\": [2.0]}");
        QueueRequest unknown = QueueRequest.of("b", "{\"instances\": [2.0]}").withModel("nope", null);
        DecodedRequest rejected = new DecodedRequest.Rejected(QueueResult.failure("c", "field 'data' is missing"));
        List<QueueResult> results = scorer().score(List.of(
                QueueRequest.received("1-1", new DecodedRequest.Accepted(ok)),
                QueueRequest.received(null, new DecodedRequest.Accepted(unknown)),
                QueueRequest.received("1-3", rejected)));
        assertThat(results).extracting(QueueResult::uri).containsExactly("a", "b", "c");
        // No model named: the service's only model; the result keeps the request's reply stream.
        assertThat(results.get(0).value()).isEqualTo("{\"predictions\":[3.0]}");
        assertThat(results.get(0).model()).isEqualTo("half_plus_two");
        assertThat(results.get(0).version()).isEqualTo(1L);
        assertThat(results.get(0).replyTo()).isEqualTo("reply");
        assertThat(results.get(0).ackId()).isEqualTo("1-1");
        assertThat(results.get(2).ackId()).isEqualTo("1-3");
        assertThat(results.get(1).code()).isEqualTo(StatusCode.NOT_FOUND);
        assertThat(results.get(1).error()).contains("nope");
        assertThat(results.get(2).code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(results.get(2).error()).isEqualTo("field 'data' is missing");
    }

    private static QueueScorer scorer() {
        return new QueueScorer(models, null, Duration.ofSeconds(10), null, ServingJsonFactory.create());
    }

    @Test
    void versionLabelsCannotTravel() throws Exception {
        HttpResponse<String> r = post(server, "/v1/models/half_plus_two/labels/stable:predict", "{\"instances\": [1.0]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("label 'stable'");
    }
}
