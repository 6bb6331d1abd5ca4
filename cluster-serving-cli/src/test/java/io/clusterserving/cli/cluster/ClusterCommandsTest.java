package io.clusterserving.cli.cluster;

import io.clusterserving.cli.Main;
import io.clusterserving.flink.modelstream.ModelUpdate;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.redis.RedisConnector;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cluster start|status|stop|publish-model} against an embedded job and a real redis-server. */
@ExtendWith(RedisServerExtension.class)
class ClusterCommandsTest {
    private static final String JOB = "cli_cluster_job";
    private static final String MODELS = "cli_cluster_models";

    @Test
    void unknownConfigKeyIsABadCommandLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "modelPath: /models/m\nmodelParalelism: 2\n");
        Run start = run("cluster", "start", "--config", config.toString());
        assertThat(start.code).isEqualTo(2);
        assertThat(start.err).contains("unknown config key [modelParalelism]");
        Run publish = run("cluster", "publish-model", "--config", config.toString(), "--model-dir", dir.toString(),
                "--version", "2");
        assertThat(publish.code).isEqualTo(2);
    }

    @Test
    void benchRejectsABodyThatIsNotAJsonObjectBeforeSendingAnything(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "modelPath: /models/m\nredisUrl: localhost:1\n");
        Run bench = run("cluster", "bench", "--config", config.toString(), "--data", "[1, 2]");
        assertThat(bench.code).isEqualTo(2);
        assertThat(bench.err).contains("JSON object");
    }

    @Test
    void startStatusPublishStop(RedisServer redis, @TempDir Path dir) throws Exception {
        ExampleModels.halfPlusTwo(dir.resolve("models"));
        Path v2 = dir.resolve("v2");
        ExampleModels.halfPlusTwo(v2);
        Path v2dir = v2.resolve(ExampleModels.HALF_PLUS_TWO).resolve("1");
        int webUi = freePort();
        Path config = Files.writeString(dir.resolve("config.yaml"), String.join("\n",
                "modelPath: " + dir.resolve("models").resolve(ExampleModels.HALF_PLUS_TWO),
                "jobName: " + JOB,
                "redisUrl: " + redis.uri(),
                "modelStream: " + MODELS,
                "webUiPort: " + webUi,
                ""));

        Run early = run("cluster", "bench", "--config", config.toString(), "--instances", "1", "--records", "10",
                "--await-job", "300ms");
        assertThat(early.code).isEqualTo(1);
        assertThat(early.err).contains("has no consumer group 'serving'").contains("after 300 ms: start the job first");

        StringWriter startOut = new StringWriter();
        StringWriter startErr = new StringWriter();
        CommandLine start = Main.commandLine();
        start.setOut(new PrintWriter(startOut, true));
        start.setErr(new PrintWriter(startErr, true));
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(
                () -> start.execute("cluster", "start", "--config", config.toString()));
        try (RedisConnector connector = new RedisConnector(redis.endpoint(), 1);
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!startOut.toString().contains("ready") && System.nanoTime() < deadline && !running.isDone()) {
                Thread.sleep(100);
            }
            assertThat(startOut.toString()).as("stderr: %s", startErr).contains("Flink web UI: http://").contains(":" + webUi)
                    .contains("ready");

            Run status = run("cluster", "status", "--config", config.toString());
            assertThat(status.code).isZero();
            assertThat(status.out).contains("RUNNING").contains(JOB);

            // Every run's 200 entries get value results (exit 0), each run is reported with 0 errors.
            Run bench = run("cluster", "bench", "--config", config.toString(), "--instances", "1,2", "--records", "200",
                    "--warmup-records", "20", "--runs", "2");
            assertThat(bench.code).as(bench.out + bench.err).isZero();
            assertThat(bench.out).contains("stream '" + JOB + "'").contains("200 records per run, 2 runs")
                    .containsPattern("(?m)^\\s+1\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+0$")
                    .containsPattern("(?m)^\\s+2\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+0$")
                    .contains("median: ");
            // Ragged rows: each entry gets an error result, which the bench counts and names.
            Run bad = run("cluster", "bench", "--config", config.toString(), "--instances", "1,2;3", "--records", "10",
                    "--warmup-records", "0", "--runs", "1");
            assertThat(bad.code).as(bad.out + bad.err).isEqualTo(1);
            assertThat(bad.out).contains("10 results were errors, e.g. bench-");

            Run publish = run("cluster", "publish-model", "--config", config.toString(), "--model-dir", v2dir.toString(),
                    "--version", "2");
            assertThat(publish.code).as(publish.err).isZero();
            List<StreamMessage<String, String>> entries = cmd.xrange(MODELS, Range.create("-", "+"));
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).getBody()).containsEntry("name", ExampleModels.HALF_PLUS_TWO)
                    .containsEntry("version", "2").containsEntry("format", "onnx")
                    .containsEntry("location", v2dir.toAbsolutePath().toString());

            // The running job switches to version 2: a reply names the version that scored it.
            String served = null;
            for (int i = 0; i < 600 && !"2".equals(served); i++) {
                cmd.xadd(JOB, Map.of("uri", "probe-" + i, "data", "{\"instances\": [1.0, 2.0]}", "reply_to", "replies"));
                Thread.sleep(100);
                List<StreamMessage<String, String>> replies = cmd.xrange("replies", Range.create("-", "+"));
                for (StreamMessage<String, String> r : replies) {
                    assertThat(r.getBody().get("value")).contains("predictions").contains("2.5").contains("3.0");
                    served = r.getBody().get("version");
                }
            }
            assertThat(served).isEqualTo("2");

            Run inline = run("cluster", "publish-model", "--config", config.toString(), "--model-dir", v2dir.toString(),
                    "--version", "3", "--inline");
            assertThat(inline.code).as(inline.err).isZero();
            ModelUpdate update = ModelUpdate.fromFields(cmd.xrange(MODELS, Range.create("-", "+")).get(1).getBody());
            assertThat(update.version()).isEqualTo(3);
            assertThat(update.data()).isEqualTo(Files.readAllBytes(v2dir.resolve("model.onnx")));

            Run stop = run("cluster", "stop", "--config", config.toString());
            assertThat(stop.code).as(stop.err).isZero();
            assertThat(stop.out).contains("cancelled job");
            assertThat(running.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(startOut.toString()).contains("ended: CANCELED");

            Run again = run("cluster", "stop", "--config", config.toString());
            assertThat(again.code).isEqualTo(1);
        } finally {
            if (!running.isDone()) {
                run("cluster", "stop", "--config", config.toString());
                running.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void watchModelsPublishesEachNewVersionDirectoryOnce(RedisServer redis, @TempDir Path dir) throws Exception {
        Path base = dir.resolve("models");
        ExampleModels.halfPlusTwo(base); // base/half_plus_two/1/model.onnx
        Path model = base.resolve(ExampleModels.HALF_PLUS_TWO);
        String stream = "watched_models";
        Path config = Files.writeString(dir.resolve("config.yaml"), String.join("\n",
                "modelPath: " + model, "jobName: watch_job", "redisUrl: " + redis.uri(), "modelStream: " + stream, ""));
        StringWriter out = new StringWriter();
        CommandLine watch = Main.commandLine();
        watch.setOut(new PrintWriter(out, true));
        watch.setErr(new PrintWriter(new StringWriter(), true));
        Thread watcher = new Thread(() -> watch.execute("cluster", "watch-models", "--config", config.toString(),
                "--interval", "100ms"), "watch-models");
        watcher.start();
        try (RedisConnector connector = new RedisConnector(redis.endpoint(), 1);
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            awaitOutput(out, "watching " + model);
            // Version 3 appears empty first (a copy in progress): nothing is published for it yet.
            Files.createDirectories(model.resolve("3"));
            Path staged = dir.resolve("staged");
            ExampleModels.halfPlusTwo(staged);
            Files.move(staged.resolve(ExampleModels.HALF_PLUS_TWO).resolve("1"), model.resolve("2"));
            awaitOutput(out, "published");
            Thread.sleep(300); // a few more scans: nothing is published twice
            List<StreamMessage<String, String>> entries = cmd.xrange(stream, Range.create("-", "+"));
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).getBody()).containsEntry("name", ExampleModels.HALF_PLUS_TWO)
                    .containsEntry("version", "2").containsEntry("format", "onnx")
                    .containsEntry("location", model.resolve("2").toString());
            Files.copy(model.resolve("2").resolve("model.onnx"), model.resolve("3").resolve("model.onnx"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (cmd.xlen(stream) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            entries = cmd.xrange(stream, Range.create("-", "+"));
            assertThat(entries).hasSize(2);
            assertThat(entries.get(1).getBody()).containsEntry("version", "3");
        } finally {
            watcher.interrupt();
            watcher.join(10_000);
        }
        assertThat(watcher.isAlive()).isFalse();
        // Version 1 was there at start: taken as served, never published.
        assertThat(out.toString()).contains("(known: [1])");
        assertThat(out.toString().lines().filter(l -> l.startsWith("published ")).count()).isEqualTo(2);
    }

    private static void awaitOutput(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(out.toString()).contains(text);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
