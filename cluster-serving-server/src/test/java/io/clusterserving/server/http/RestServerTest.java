package io.clusterserving.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RestServerTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static RestServer server;
    static PrometheusMeterRegistry registry;
    static HttpClient client;
    static String base;

    @BeforeAll
    static void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0).withEventLoops(2)
                .withMaxRequestBytes(64 * 1024).withMaxJsonNestingDepth(16).withRestTimeoutMillis(300),
                new JavaModelsService(), registry);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<byte[]> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return MAPPER.readTree(r.body());
    }

    static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void predictRowFormatAnswersLikeTfServing() throws Exception {
        var r = post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(text(r)).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}");
        var v = post("/v1/models/half_plus_two/versions/1:predict", "{\"instances\": [0]}");
        assertThat(text(v)).isEqualTo("{\"predictions\":[2.0]}");
        var l = post("/v1/models/half_plus_two/labels/stable:predict", "{\"signature_name\": \"serving_default\", \"instances\": [2]}");
        assertThat(text(l)).isEqualTo("{\"predictions\":[3.0]}");
    }

    @Test
    void predictColumnarAndNamedRows() throws Exception {
        var c = post("/v1/models/pair:predict", "{\"inputs\": {\"a\": [[1, 2], [3, 4]], \"b\": [10, 20]}}");
        assertThat(c.statusCode()).isEqualTo(200);
        assertThat(json(c)).isEqualTo(json("{\"outputs\": {\"sum\": [13.0, 27.0], \"b_twice\": [20, 40]}}"));
        var r = post("/v1/models/pair:predict", "{\"instances\": [{\"a\": [1, 2], \"b\": 1}, {\"a\": [0, 0], \"b\": -1}]}");
        assertThat(json(r)).isEqualTo(json("{\"predictions\": [{\"sum\": 4.0, \"b_twice\": 2}, {\"sum\": -1.0, \"b_twice\": -2}]}"));
    }

    @Test
    void statusMetadataListingAndStats() throws Exception {
        var s = get("/v1/models/half_plus_two");
        assertThat(json(s)).isEqualTo(json("{\"model_version_status\": [{\"version\": \"1\", \"state\": \"AVAILABLE\","
                + " \"status\": {\"error_code\": \"OK\", \"error_message\": \"\"}}]}"));
        assertThat(get("/v1/models/half_plus_two/versions/1").statusCode()).isEqualTo(200);
        var m = json(get("/v1/models/half_plus_two/metadata"));
        assertThat(m.at("/model_spec/version").asText()).isEqualTo("1");
        assertThat(m.at("/metadata/signature_def/signature_def/serving_default/inputs/x/dtype").asText()).isEqualTo("DT_FLOAT");
        assertThat(m.at("/metadata/signature_def/signature_def/serving_default/inputs/x/tensor_shape/dim/0/size").asText())
                .isEqualTo("-1");
        var list = json(get("/v1/models"));
        assertThat(list.at("/models/1/name").asText()).isEqualTo("half_plus_two");
        assertThat(list.at("/models/1/model_version_status/0/state").asText()).isEqualTo("AVAILABLE");
        var stats = json(get("/v1/models/pair/stats"));
        assertThat(stats.at("/stats/0/name").asText()).isEqualTo("pair");
        assertThat(stats.at("/stats/0/total_duration_ms").asDouble()).isEqualTo(3.0);
        assertThat(stats.at("/stats/0/since").asText()).contains("T");
    }

    @Test
    void errorStatusCodes() throws Exception {
        var notFound = post("/v1/models/nope:predict", "{\"instances\": [1]}");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).get("error").asText()).contains("nope");
        assertThat(get("/v1/models/half_plus_two/labels/canary").statusCode()).isEqualTo(404);
        var path = get("/no/such/path");
        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(json(path).has("error")).isTrue();
        var method = get("/v1/models/half_plus_two:predict");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("allow")).hasValue("POST");
        var classify = post("/v1/models/half_plus_two:classify", "{\"examples\": [{\"x\": 1.0}]}");
        assertThat(classify.statusCode()).isEqualTo(501);
        assertThat(json(classify).get("error").asText()).isEqualTo("classify is not supported here");
        var emptyExamples = post("/v1/models/half_plus_two:regress", "{\"examples\": []}");
        assertThat(emptyExamples.statusCode()).isEqualTo(400);
        assertThat(json(emptyExamples).get("error").asText())
                .isEqualTo("'examples' is an empty list; send at least one example");
        var busy = post("/v1/models/busy:predict", "{\"instances\": [1]}");
        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(json(busy).get("error").asText()).contains("queue");
        var stalled = post("/v1/models/stalled:predict", "{\"instances\": [1]}");
        assertThat(stalled.statusCode()).isEqualTo(504);
        assertThat(json(stalled).get("error").asText()).contains("timed out after 300 ms");
        var ragged = post("/v1/models/pair:predict", "{\"inputs\": {\"a\": [[1, 2], [3]], \"b\": [1, 2]}}");
        assertThat(ragged.statusCode()).isEqualTo(400);
        assertThat(json(ragged).get("error").asText()).contains("input 'a' inputs.a[1]: expected a list of 2 elements, got 1");
        var deep = post("/v1/models/half_plus_two:predict", "{\"inputs\": " + "[".repeat(40) + "]".repeat(40) + "}");
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(json(deep).get("error").asText()).contains("nesting depth");
    }

    @Test
    void badJsonIsA400AndTheServerKeepsServing() throws Exception {
        for (String bad : new String[] {"{\"instances\": [1,", "not json", "", "{\"instances\": [\"x\"]}", "\u0000\u0001"}) {
            var r = post("/v1/models/half_plus_two:predict", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).get("error").asText()).isNotEmpty();
        }
        var r = post("/v1/models/half_plus_two:predict", "{\"instances\": [1,");
        assertThat(json(r).get("error").asText()).startsWith("malformed JSON at line 1");
        assertThat(text(post("/v1/models/half_plus_two:predict", "{\"instances\": [4]}"))).isEqualTo("{\"predictions\":[4.0]}");
    }

    @Test
    void oversizedBodiesAre413WithOrWithoutContentLength() throws Exception {
        String big = "{\"instances\": [" + "1.0,".repeat(20_000) + "1.0]}";
        var r = post("/v1/models/half_plus_two:predict", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText())
                .isEqualTo("request body exceeds the 65536-byte limit (--rest_api_max_body_bytes)");
        var chunked = send(HttpRequest.newBuilder(URI.create(base + "/v1/models/half_plus_two:predict"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(text(post("/v1/models/half_plus_two:predict", "{\"instances\": [2]}"))).isEqualTo("{\"predictions\":[3.0]}");
    }

    @Test
    void gzipRequestBodiesAndCompressedResponses() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write("{\"instances\": [1.0, 2.0, 5.0]}".getBytes(StandardCharsets.UTF_8));
        }
        var r = send(HttpRequest.newBuilder(URI.create(base + "/v1/models/half_plus_two:predict"))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}");

        String many = "{\"instances\": [" + "1.0,".repeat(999) + "1.0]}";
        var c = send(HttpRequest.newBuilder(URI.create(base + "/v1/models/half_plus_two:predict"))
                .header("Accept-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString(many)));
        assertThat(c.statusCode()).isEqualTo(200);
        assertThat(c.headers().firstValue("content-encoding")).hasValue("gzip");
        String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(c.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(json(unzipped).get("predictions").size()).isEqualTo(1000);
        assertThat(json(unzipped).at("/predictions/999").asDouble()).isEqualTo(2.5);
    }

    @Test
    void v2ServerHealthAndModelMetadata() throws Exception {
        var s = json(get("/v2"));
        assertThat(s.get("name").asText()).isEqualTo("cluster-serving");
        assertThat(s.get("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(s.get("extensions").toString()).contains("binary_tensor_data");
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/pair/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/nope/ready").statusCode()).isEqualTo(404);
        var m = json(get("/v2/models/pair"));
        assertThat(m).isEqualTo(json("{\"name\": \"pair\", \"versions\": [\"1\"], \"platform\": \"java\", \"inputs\": ["
                + "{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [-1, 2]}, {\"name\": \"b\", \"datatype\": \"INT64\", "
                + "\"shape\": [-1]}], \"outputs\": [{\"name\": \"sum\", \"datatype\": \"FP32\", \"shape\": [-1]}, "
                + "{\"name\": \"b_twice\", \"datatype\": \"INT64\", \"shape\": [-1]}]}"));
        assertThat(get("/v2/models/pair/versions/1").statusCode()).isEqualTo(200);
    }

    @Test
    void v2JsonInferWithOutputFilter() throws Exception {
        var r = post("/v2/models/pair/versions/1/infer", "{\"id\": \"42\", \"inputs\": ["
                + "{\"name\": \"a\", \"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]},"
                + "{\"name\": \"b\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [10, 20]}],"
                + "\"outputs\": [{\"name\": \"sum\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("{\"model_name\": \"pair\", \"model_version\": \"1\", \"id\": \"42\", "
                + "\"outputs\": [{\"name\": \"sum\", \"datatype\": \"FP32\", \"shape\": [2], \"data\": [13.0, 27.0]}]}"));
        var wrong = post("/v2/models/pair/infer", "{\"inputs\": ["
                + "{\"name\": \"a\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [1, 2]},"
                + "{\"name\": \"b\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [1]}]}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).get("error").asText()).isEqualTo("input 'a': datatype FP64 does not match the model's FP32");
    }

    @Test
    void v2BinaryInferBothWays() throws Exception {
        byte[] header = ("{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 12}}], \"parameters\": {\"binary_data_output\": true}}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header).putFloat(1f).putFloat(2f).putFloat(5f);
        var r = send(HttpRequest.newBuilder(URI.create(base + "/v2/models/half_plus_two/infer"))
                .header("Inference-Header-Content-Length", Integer.toString(header.length))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.array())));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
        int hl = Integer.parseInt(r.headers().firstValue("inference-header-content-length").orElseThrow());
        JsonNode h = MAPPER.readTree(Arrays.copyOf(r.body(), hl));
        assertThat(h.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(12);
        ByteBuffer out = ByteBuffer.wrap(r.body(), hl, r.body().length - hl).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(out.remaining()).isEqualTo(12);
        assertThat(new float[] {out.getFloat(), out.getFloat(), out.getFloat()}).containsExactly(2.5f, 3f, 4.5f);
    }

    @Test
    void metricsEndpointsExposeRequestCounters() throws Exception {
        post("/v1/models/half_plus_two:predict", "{\"instances\": [1]}");
        for (String path : new String[] {"/metrics", "/monitoring/prometheus/metrics"}) {
            var m = get(path);
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(text(m)).contains("cs_http_requests_total{code=\"200\",family=\"tfserving_predict\"}")
                    .contains("cs_http_request_duration_seconds_count{family=\"tfserving_predict\"}");
        }
    }

    @Test
    void workerPoolModeServesToo() throws Exception {
        try (RestServer pooled = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0)
                .withEventLoops(1).withInferenceOnEventLoop(false).withRestTimeoutMillis(300), new JavaModelsService(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            String url = "http://127.0.0.1:" + pooled.port();
            var r = send(HttpRequest.newBuilder(URI.create(url + "/v1/models/half_plus_two:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [[1.0, 3.0]]}")));
            assertThat(text(r)).isEqualTo("{\"outputs\":[[2.5,3.5]]}");
            var stalled = send(HttpRequest.newBuilder(URI.create(url + "/v1/models/stalled:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1]}")));
            assertThat(stalled.statusCode()).isEqualTo(504);
        }
    }
}
