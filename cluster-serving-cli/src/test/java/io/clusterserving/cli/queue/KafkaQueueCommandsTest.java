package io.clusterserving.cli.queue;

import io.clusterserving.cli.Main;
import io.clusterserving.cli.serve.RunningServer;
import io.clusterserving.cli.serve.ServeCommand;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.kafka.KafkaQueueSettings;
import io.clusterserving.queue.testing.KafkaBroker;
import io.clusterserving.queue.testing.KafkaBrokerExtension;
import io.clusterserving.server.queue.testing.KafkaQueueWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.clusterserving.cli.queue.QueueCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** serve --backend kafka://, enqueue --kafka and dequeue --kafka against an in-process KRaft broker. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaQueueCommandsTest {
    private static final String IN = "cli-requests";
    private static final String OUT = "cli-requests-results"; // the default output topic of IN

    @TempDir
    static Path repo;
    static LocalInferenceService models;
    static KafkaQueueWorker worker;
    static String brokers;

    @BeforeAll
    static void start(KafkaBroker broker) throws Exception {
        broker.createTopics(1, IN, OUT);
        brokers = broker.bootstrapServers();
        ExampleModels.halfPlusTwo(repo);
        models = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("half_plus_two", repo.resolve("half_plus_two"))))
                .fileSystemPollSeconds(60).intraOpThreads(1).interOpThreads(1).build();
        assertThat(models.awaitReady(Duration.ofSeconds(60))).isTrue();
        worker = new KafkaQueueWorker(KafkaQueueSettings.of(brokers, IN, OUT), "cli-test-worker", models);
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

    @Test
    void enqueueWaitsForTheResultAndDequeueFindsItOnTheOutputTopic() {
        QueueCommandsTest.Run r = run("enqueue", "--kafka", brokers, "--topic", IN, "--uri", "k-1",
                "--instances", "1,2,5", "--model", "half_plus_two", "--wait", "30s");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}" + System.lineSeparator());

        QueueCommandsTest.Run sent = run("enqueue", "--kafka", brokers, "--topic", IN, "--uri", "k-2",
                "--instances", "4", "--model", "half_plus_two");
        assertThat(sent.code()).as(sent.err()).isZero();
        assertThat(sent.out().trim()).matches(IN + "-0@\\d+");
        QueueCommandsTest.Run found = run("dequeue", "--kafka", brokers, "--topic", IN, "--uri", "k-2", "--wait", "30s");
        assertThat(found.code()).as(found.err()).isZero();
        assertThat(found.out()).isEqualTo("{\"predictions\":[4.0]}" + System.lineSeparator());

        QueueCommandsTest.Run missing = run("dequeue", "--kafka", brokers, "--topic", IN, "--uri", "k-none");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no result for uri 'k-none' on topic '" + OUT + "'");
    }

    @Test
    void clusterBenchCountsEveryCommittedResult() throws Exception {
        Path config = java.nio.file.Files.writeString(repo.resolve("bench.yaml"), String.join("\n",
                "modelPath: " + repo.resolve("half_plus_two"), "modelName: half_plus_two", "queueUsed: kafka",
                "kafkaUrl: " + brokers, "kafkaInputTopic: " + IN, "kafkaOutputTopic: " + OUT, ""));
        QueueCommandsTest.Run r = run("cluster", "bench", "--config", config.toString(), "--instances", "1,2",
                "--records", "300", "--warmup-records", "30", "--runs", "2");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("topics '" + IN + "' -> '" + OUT + "'").contains("300 records per run, 2 runs")
                .containsPattern("(?m)^\\s+2\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+0$").contains("median: ");
    }

    /** Errors are counted whether checked as they arrive (the warm-up) or after the clock (the runs). */
    @Test
    void clusterBenchCountsErrorResultsOfTheWarmUpAndTheRuns() throws Exception {
        Path config = java.nio.file.Files.writeString(repo.resolve("bench-errors.yaml"), String.join("\n",
                "modelPath: " + repo.resolve("half_plus_two"), "modelName: half_plus_two", "queueUsed: kafka",
                "kafkaUrl: " + brokers, "kafkaInputTopic: " + IN, "kafkaOutputTopic: " + OUT, ""));
        QueueCommandsTest.Run r = run("cluster", "bench", "--config", config.toString(),
                "--data", "{\"instances\": [\"not a number\"]}", "--records", "7", "--warmup-records", "5",
                "--runs", "1");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).containsPattern("(?m)^warm-up: [\\d,]+ records/s, 5 errors$")
                .containsPattern("(?m)^\\s+1\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+7$")
                .contains("12 results were errors, e.g. bench-");
    }

    @Test
    void serveBackendKafkaAnswersTheRestApi() throws Exception {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("serve", "--backend", "kafka://" + brokers + "/" + IN,
                "--rest_api_port", "0", "--rest_api_host", "127.0.0.1", "--rest_api_num_threads", "1");
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        try (RunningServer server = serve.start()) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.restPort();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/half_plus_two:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1.0, 2.0, 5.0]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"predictions\":[2.5,3.0,4.5]}");
            HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/nope:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1.0]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
        }
    }
}
