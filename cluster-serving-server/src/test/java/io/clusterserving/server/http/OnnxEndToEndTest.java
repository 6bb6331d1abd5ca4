package io.clusterserving.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.onnx.build.ExampleModels;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real stack: LocalInferenceService + ONNX Runtime behind the REST server. */
class OnnxEndToEndTest {
    @TempDir
    static Path repo;
    static LocalInferenceService service;
    static RestServer server;
    static HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String base;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        ExampleModels.halfPlusTwo(repo);
        ExampleModels.dense128(repo);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        service = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("half_plus_two", repo.resolve("half_plus_two")),
                        ModelConfig.of("dense128", repo.resolve("dense128"))))
                .fileSystemPollSeconds(60).intraOpThreads(1).interOpThreads(1).meterRegistry(registry).build();
        assertThat(service.awaitReady(Duration.ofSeconds(60))).isTrue();
        server = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0).withEventLoops(2),
                service, registry);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.close();
        }
    }

    static HttpResponse<byte[]> post(String path, HttpRequest.Builder b, byte[] body) throws Exception {
        return client.send(b.uri(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void halfPlusTwoAnswersExactlyLikeTfServing() throws Exception {
        var r = post("/v1/models/half_plus_two:predict", HttpRequest.newBuilder(),
                "{\"instances\": [1.0, 2.0, 5.0]}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(MAPPER.readTree(text)).isEqualTo(MAPPER.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
        assertThat(text).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}");
    }

    @Test
    void statusAndMetadataOfAnOnnxModel() throws Exception {
        var s = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/dense128")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(MAPPER.readTree(s.body()).at("/model_version_status/0/state").asText()).isEqualTo("AVAILABLE");
        var m = client.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/dense128")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode md = MAPPER.readTree(m.body());
        assertThat(md.get("platform").asText()).isEqualTo("onnxruntime_onnx");
        assertThat(md.at("/inputs/0/shape").toString()).isEqualTo("[-1,128]");
        var classify = post("/v1/models/dense128:classify", HttpRequest.newBuilder(),
                "{\"examples\": [{\"x\": 1.0}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(classify.statusCode()).isEqualTo(501);
        assertThat(MAPPER.readTree(classify.body()).get("error").asText())
                .startsWith("model 'dense128' version 1 (onnx) cannot classify");
    }

    @Test
    void dense128JsonRowAndV2BinaryAgree() throws Exception {
        float[] x = ExampleModels.seededFloats(7, 128, 1f);
        StringBuilder json = new StringBuilder("{\"instances\": [[");
        for (int i = 0; i < x.length; i++) {
            json.append(i == 0 ? "" : ",").append(x[i]);
        }
        json.append("]]}");
        var r = post("/v1/models/dense128:predict", HttpRequest.newBuilder(), json.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode row = MAPPER.readTree(r.body()).at("/predictions/0");
        assertThat(row.size()).isEqualTo(128);

        byte[] header = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 128], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 512}}], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}]}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + 512).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        for (float v : x) {
            body.putFloat(v);
        }
        var b = post("/v2/models/dense128/infer", HttpRequest.newBuilder()
                .header("Inference-Header-Content-Length", Integer.toString(header.length)), body.array());
        assertThat(b.statusCode()).isEqualTo(200);
        int hl = Integer.parseInt(b.headers().firstValue("inference-header-content-length").orElseThrow());
        assertThat(MAPPER.readTree(Arrays.copyOf(b.body(), hl)).at("/outputs/0/shape").toString()).isEqualTo("[1,128]");
        ByteBuffer y = ByteBuffer.wrap(b.body(), hl, 512).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 128; i++) {
            assertThat(y.getFloat()).isEqualTo((float) row.get(i).asDouble());
        }
    }
}
