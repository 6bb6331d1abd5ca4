package io.clusterserving.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.server.grpc.ArithmeticServing;
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
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** REST :classify and :regress over a real LocalInferenceService, in TF Serving's JSON shapes. */
class ClassifyRegressRestTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    @TempDir
    static Path repo;
    static ArithmeticServing serving;
    static RestServer server;
    static HttpClient client;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        serving = new ArithmeticServing(repo);
        server = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0).withEventLoops(1),
                serving.service, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        serving.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void classifyAnswersLabelScorePairsPerExample() throws Exception {
        var r = post("/v1/models/scorer:classify", "{\"examples\": [{\"x\": 0.25}, {\"x\": 0.75}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"results\":[[[\"pos\",0.25],[\"neg\",0.75]],[[\"pos\",0.75],[\"neg\",0.25]]]}");
        var v = post("/v1/models/scorer/versions/1:classify", "{\"examples\": [{\"x\": 0.5}]}");
        assertThat(v.body()).isEqualTo("{\"results\":[[[\"pos\",0.5],[\"neg\",0.5]]]}");
    }

    @Test
    void regressUsesSignatureNameAndContext() throws Exception {
        var r = post("/v1/models/scorer:regress",
                "{\"signature_name\": \"regress\", \"context\": {\"x\": 100.0}, \"examples\": [{\"x\": 4.0}, {}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"results\":[4.0,52.0]}");
    }

    @Test
    void badRequestsAndUnsupportedModelsGetTfServingStatusCodes() throws Exception {
        var mixed = post("/v1/models/scorer:classify", "{\"examples\": [{\"x\": [1, 0.5]}]}");
        assertThat(mixed.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(mixed.body()).get("error").asText()).startsWith("examples[0]: feature 'x': mixed");
        var wrongKind = post("/v1/models/scorer:classify", "{\"examples\": [{\"x\": \"high\"}]}");
        assertThat(wrongKind.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(wrongKind.body()).get("error").asText()).contains("feature 'x'");
        var predictOnly = post("/v1/models/half_plus_two:regress", "{\"examples\": [{\"x\": 1.0}]}");
        assertThat(predictOnly.statusCode()).isEqualTo(501);
        assertThat(MAPPER.readTree(predictOnly.body()).get("error").asText())
                .startsWith("model 'half_plus_two' version 1 (arith) cannot regress: ");
        assertThat(post("/v1/models/nope:classify", "{\"examples\": [{}]}").statusCode()).isEqualTo(404);
    }
}
