package io.clusterserving.cli.queue;

import io.clusterserving.cli.Main;
import io.clusterserving.cli.serve.RunningServer;
import io.clusterserving.cli.serve.ServeCommand;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import io.clusterserving.server.queue.testing.RedisQueueWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * enqueue, dequeue and serve --backend against a real redis-server, answered by a worker thread running
 * ONNX half_plus_two through the worker step (QueueScorer).
 */
@ExtendWith(RedisServerExtension.class)
class QueueCommandsTest {
    private static final String JOB = "cli_test_stream";

    @TempDir
    static Path repo;
    static LocalInferenceService models;
    static RedisQueueWorker worker;
    static String redisUri;

    @BeforeAll
    static void start(RedisServer redis) throws Exception {
        ExampleModels.halfPlusTwo(repo);
        models = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("half_plus_two", repo.resolve("half_plus_two"))))
                .fileSystemPollSeconds(60).intraOpThreads(1).interOpThreads(1).build();
        assertThat(models.awaitReady(Duration.ofSeconds(60))).isTrue();
        worker = new RedisQueueWorker(redis.endpoint(), JOB, models);
        redisUri = redis.uri();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (models != null) {
            models.close();
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void enqueueWithWaitPrintsTheResult() {
        Run r = run("enqueue", "--redis", redisUri, "--job", JOB, "--uri", "wait-1", "--instances", "1,2,5",
                "--model", "half_plus_two", "--wait", "20s");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}" + System.lineSeparator());
    }

    @Test
    void enqueuePrintsTheEntryIdAndDequeuePrintsTheStoredResult(@TempDir Path dir) throws Exception {
        Path body = Files.writeString(dir.resolve("body.json"), "{\"inputs\": {\"x\": [0.0, 4.0]}}");
        Run enqueued = run("enqueue", "--redis", redisUri, "--job", JOB, "--uri", "later-1", "--file", body.toString(),
                "--version", "1");
        assertThat(enqueued.code()).as(enqueued.err()).isZero();
        assertThat(enqueued.out().trim()).matches("\\d+-\\d+");

        Run value = run("dequeue", "--redis", redisUri, "--job", JOB, "--uri", "later-1", "--wait", "20s");
        assertThat(value.code()).as(value.err()).isZero();
        assertThat(value.out()).isEqualTo("{\"outputs\":[2.0,4.0]}" + System.lineSeparator());

        Run hash = run("dequeue", "--redis", redisUri, "--job", JOB, "--uri", "later-1", "--hash");
        assertThat(hash.code()).isZero();
        assertThat(hash.out()).isEqualTo("value\t{\"outputs\":[2.0,4.0]}" + System.lineSeparator());
    }

    @Test
    void anErrorResultExitsWith1AndNamesTheProblem() {
        Run r = run("enqueue", "--redis", redisUri, "--job", JOB, "--uri", "bad-1", "--data",
                "{\"instances\": [\"x\"]}", "--model", "half_plus_two", "--wait", "20s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error (INVALID_ARGUMENT): ");

        Run stored = run("dequeue", "--redis", redisUri, "--job", JOB, "--uri", "bad-1", "--hash");
        assertThat(stored.code()).isEqualTo(1);
        assertThat(stored.out()).contains("error\t").contains("code\tINVALID_ARGUMENT");
    }

    @Test
    void aMissingResultOrATimeoutExitsWith1() {
        Run missing = run("dequeue", "--redis", redisUri, "--job", JOB, "--uri", "never-sent");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no result for uri 'never-sent' in job 'cli_test_stream'");

        Run timeout = run("enqueue", "--redis", redisUri, "--job", "nobody_reads", "--uri", "t-1", "--instances", "1",
                "--wait", "300ms");
        assertThat(timeout.code()).isEqualTo(1);
        assertThat(timeout.err()).contains("no result for uri 't-1' within 300 ms; is a Cluster Serving job reading "
                + "stream 'nobody_reads'?");
    }

    @Test
    void badCommandLinesExitWith2() {
        Run noBody = run("enqueue", "--redis", redisUri, "--uri", "u");
        assertThat(noBody.code()).isEqualTo(2);
        assertThat(noBody.err()).contains("give the request body: --data JSON, --file FILE or --instances LIST");
        Run help = run("enqueue", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--instances=LIST");
        Run both = run("enqueue", "--redis", redisUri, "--uri", "u", "--data", "{}", "--instances", "1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        Run queues = run("enqueue", "--redis", redisUri, "--kafka", "localhost:9092", "--uri", "u", "--data", "{}");
        assertThat(queues.code()).isEqualTo(2);
        assertThat(queues.err()).contains("give --redis or --kafka, not both");
        Run notJson = run("enqueue", "--redis", redisUri, "--uri", "u", "--data", "[1]");
        assertThat(notJson.code()).isEqualTo(2);
        Run badNumber = run("enqueue", "--redis", redisUri, "--uri", "u", "--instances", "1,two");
        assertThat(badNumber.code()).isEqualTo(2);
        assertThat(badNumber.err()).contains("'two' (row 0, value 1) is not a number");
        assertThat(run("dequeue", "--kafka", "localhost:9092", "--topic", "t", "--uri", "u", "--hash").code())
                .isEqualTo(2);
    }

    @Test
    void instancesBecomeRowBodies() {
        assertThat(RequestBodyFlags.instancesBody("1,2,3")).isEqualTo("{\"instances\":[1,2,3]}");
        assertThat(RequestBodyFlags.instancesBody("1,2;3.5,-4e2")).isEqualTo("{\"instances\":[[1,2],[3.5,-4e2]]}");
    }

    @Test
    void serveBackendExcludesLocalModelFlags() {
        Run r = run("serve", "--backend", redisUri + "/" + JOB, "--model_base_path", repo.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot be combined with --model_base_path");
        Run bad = run("serve", "--backend", "http://localhost/x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown backend 'http://localhost/x'");
    }

    @Test
    void serveBackendAnswersTheRestApiThroughTheQueue() throws Exception {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("serve", "--backend", redisUri + "/" + JOB,
                "--rest_api_port", "0", "--rest_api_host", "127.0.0.1", "--rest_api_num_threads", "1");
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        try (RunningServer server = serve.start()) {
            assertThat(server.grpcPort()).isEqualTo(-1);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.restPort() + "/v1/models/half_plus_two:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1.0, 2.0, 5.0]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}");
        }
    }
}
