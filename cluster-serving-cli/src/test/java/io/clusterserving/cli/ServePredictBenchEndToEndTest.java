package io.clusterserving.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.cli.serve.RunningServer;
import io.clusterserving.cli.serve.ServeCommand;
import io.clusterserving.onnx.build.ExampleModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts {@code serve} in-process on a free port and drives it with the {@code predict} and {@code bench} commands. */
class ServePredictBenchEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path repository;

    private static RunningServer server;
    private static String url;
    private static String grpcUrl;

    @BeforeAll
    static void startServer() throws Exception {
        ExampleModels.halfPlusTwo(repository);
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("serve",
                "--model_repository=" + repository, "--rest_api_port=0", "--port=0", "--rest_api_host=127.0.0.1",
                "--rest_api_num_threads=1");
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        server = serve.start();
        url = "http://127.0.0.1:" + server.restPort();
        grpcUrl = "grpc://127.0.0.1:" + server.grpcPort();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void serverIsReadyWithTheModel() {
        assertThat(server.service().isReady()).isTrue();
        assertThat(server.service().modelNames()).containsExactly("half_plus_two");
    }

    @Test
    void predictPrintsTfServingPredictions() throws Exception {
        Run r = run("predict", "--url=" + url, "--model=half_plus_two", "--instances=1.0,2.0,5.0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
        assertThat(r.out()).contains("\n"); // pretty-printed
    }

    @Test
    void predictSendsAGivenBody() throws Exception {
        Run r = run("predict", "--url", url, "--model", "half_plus_two", "--data", "{\"inputs\": {\"x\": [4.0]}}");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).at("/outputs")).isEqualTo(JSON.readTree("[4.0]"));
    }

    @Test
    void predictSpeaksV2() throws Exception {
        Run r = run("predict", "--url=" + url, "--model=half_plus_two", "--protocol=v2", "--instances=1,2,5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode output = JSON.readTree(r.out()).at("/outputs/0");
        assertThat(output.get("name").asText()).isEqualTo("y");
        assertThat(output.get("data")).isEqualTo(JSON.readTree("[2.5, 3.0, 4.5]"));
    }

    @Test
    void predictFailsWithTheServersErrorOnHttpErrors() {
        Run r = run("predict", "--url=" + url, "--model=no_such_model", "--data={\"instances\": [1.0]}");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("HTTP 404").contains("no_such_model");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void predictNamesAnUnreachableServer() {
        Run r = run("predict", "--url=http://127.0.0.1:1", "--model=m", "--data={}");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("could not reach http://127.0.0.1:1");
    }

    @Test
    void benchReportsRequestsAndNoErrors() throws Exception {
        // A warm-up and a window long enough for a machine under heavy hypervisor steal: with 200 ms and
        // 1 s, a fresh-clone run at ~60% steal measured no completed request at all.
        Run r = run("bench", "--url=" + url, "--model=half_plus_two", "--concurrency=2", "--duration=2s",
                "--warmup=1s", "--runs=1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode level = JSON.readTree(r.out()).at("/levels/0");
        assertThat(level.get("concurrency").asInt()).isEqualTo(2);
        assertThat(level.get("requests").asLong()).isPositive();
        assertThat(level.get("errors").asLong()).isZero();
        assertThat(level.get("first_error").isNull()).isTrue();
        assertThat(level.get("p50_ms").asDouble()).isPositive();
        assertThat(level.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(level.get("p50_ms").asDouble());
    }

    @Test
    void benchOverV2PrintsATable() {
        Run r = run("bench", "--url=" + url, "--model=half_plus_two", "--protocol=v2", "--concurrency=1",
                "--duration=300ms", "--warmup=100ms", "--runs=1", "--batch=4");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("concurrency").contains("req/s").contains("p99 ms");
    }

    @Test
    void benchStopsOnABadRequestFile(@TempDir Path tmp) throws Exception {
        Path body = tmp.resolve("bad.json");
        java.nio.file.Files.writeString(body, "{\"instances\": [[1.0, 2.0], [3.0]]}");
        Run r = run("bench", "--url=" + url, "--model=half_plus_two", "--request-file=" + body,
                "--concurrency=1", "--duration=200ms", "--runs=1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("the first request failed: HTTP 400");
    }

    @Test
    void predictOverGrpcPrintsColumnarOutputsAndTheVersion() throws Exception {
        Run r = run("predict", "--url=" + grpcUrl, "--model=half_plus_two", "--instances=1.0,2.0,5.0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode answer = JSON.readTree(r.out());
        assertThat(answer.get("outputs")).isEqualTo(JSON.readTree("[2.5, 3.0, 4.5]"));
        assertThat(answer.at("/model_spec/name").asText()).isEqualTo("half_plus_two");
        assertThat(answer.at("/model_spec/version").asText()).isEqualTo("1");
        assertThat(answer.at("/model_spec/signature_name").asText()).isEqualTo("serving_default");
    }

    @Test
    void predictWithProtocolGrpcDecodesATfServingBody() throws Exception {
        Run rows = run("predict", "--protocol=grpc", "--url=" + grpcUrl, "--model=half_plus_two", "--version=1",
                "--data={\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(rows.exitCode()).as(rows.err()).isZero();
        assertThat(JSON.readTree(rows.out()).get("outputs")).isEqualTo(JSON.readTree("[2.5, 3.0, 4.5]"));
        Run columns = run("predict", "--protocol", "grpc", "--url", grpcUrl, "--model", "half_plus_two",
                "--data", "{\"inputs\": {\"x\": [4.0, 6.0]}}");
        assertThat(columns.exitCode()).as(columns.err()).isZero();
        assertThat(JSON.readTree(columns.out()).get("outputs")).isEqualTo(JSON.readTree("[4.0, 5.0]"));
    }

    @Test
    void predictOverGrpcFailsWithTheStatusForAnUnknownModel() {
        Run r = run("predict", "--url=" + grpcUrl, "--model=no_such_model", "--instances=1.0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("gRPC NOT_FOUND").contains("no_such_model");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void predictOverGrpcNamesAnUnreachableServer() {
        Run r = run("predict", "--url=grpc://127.0.0.1:1", "--model=m", "--instances=1.0", "--timeout=5");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("gRPC UNAVAILABLE from grpc://127.0.0.1:1");
    }

    @Test
    void predictOverGrpcNamesABodyThatDoesNotFitTheSignature() {
        Run r = run("predict", "--url=" + grpcUrl, "--model=half_plus_two", "--data={\"inputs\": {\"z\": [1.0]}}");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unknown input 'z'");
    }

    @Test
    void predictAndBenchShowTheirHelpDespiteTheModelsVersionFlag() {
        for (String command : new String[] {"predict", "bench"}) {
            Run r = run(command, "--help");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("--protocol=rest|v2|grpc").contains("--version=N");
        }
    }

    @Test
    void protocolAndUrlMustAgree() {
        Run r = run("predict", "--protocol=grpc", "--url=" + url, "--model=half_plus_two", "--instances=1.0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--protocol grpc needs a grpc://host:port --url");
    }

    @Test
    void benchOverGrpcReportsRequestsAndNoErrors() throws Exception {
        Run r = run("bench", "--protocol=grpc", "--url=" + grpcUrl, "--model=half_plus_two", "--concurrency=2",
                "--duration=1s", "--warmup=200ms", "--runs=1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.get("protocol").asText()).isEqualTo("grpc");
        JsonNode level = report.at("/levels/0");
        assertThat(level.get("concurrency").asInt()).isEqualTo(2);
        assertThat(level.get("requests").asLong()).isPositive();
        assertThat(level.get("errors").asLong()).isZero();
        assertThat(level.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(level.get("p50_ms").asDouble());
    }

    @Test
    void benchOverGrpcSendsARequestFileOverSeveralChannels(@TempDir Path tmp) throws Exception {
        Path body = tmp.resolve("body.json");
        java.nio.file.Files.writeString(body, "{\"instances\": [1.0, 2.0, 3.0, 4.0]}");
        Run r = run("bench", "--url=" + grpcUrl, "--model=half_plus_two", "--request-file=" + body,
                "--connections=2", "--concurrency=3", "--duration=300ms", "--warmup=100ms", "--runs=1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("over grpc at " + grpcUrl).contains("req/s");
    }

    @Test
    void benchOverGrpcStopsWhenTheFirstRequestCannotBeMade() {
        Run r = run("bench", "--url=" + grpcUrl, "--model=no_such_model", "--concurrency=1", "--duration=200ms",
                "--runs=1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("GetModelMetadata failed: gRPC NOT_FOUND");
    }
}
