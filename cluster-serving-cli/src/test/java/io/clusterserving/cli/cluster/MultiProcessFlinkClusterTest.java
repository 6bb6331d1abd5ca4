package io.clusterserving.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.cli.Main;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.job.ClusterServingJob;
import io.clusterserving.flink.job.JobHandle;
import io.clusterserving.onnx.build.Dense128Reference;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.redis.RedisConnector;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * "Zero code change from laptop to cluster": the job that {@code cluster start} runs embedded is
 * submitted unchanged to a real Flink session cluster — a JobManager and two TaskManager processes
 * that do not have cluster-serving on their class path — with the distribution's job jar, at
 * modelParallelism 2 (one subtask per TaskManager), and scores 2,000 requests from a real Redis.
 */
@ExtendWith(RedisServerExtension.class)
class MultiProcessFlinkClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = "multi_process_job";
    private static final int REQUESTS = 2_000;
    private static final Path JOB_JAR = Path.of("target", "jobs", "cluster-serving-flink-job.jar");

    private static final Dense128Reference DENSE128 = Dense128Reference.seeded();

    @Test
    void sameJobRunsOnJobManagerAndTwoTaskManagerProcesses(RedisServer redis, @TempDir Path dir) throws Exception {
        assertThat(JOB_JAR).as("the job jar copied by the build (mvn package of cluster-serving-flink)").isRegularFile();
        ExampleModels.dense128(dir.resolve("models"));
        ClusterServingConfig config = ClusterServingConfig.parse(Map.of(
                "modelPath", dir.resolve("models").resolve(ExampleModels.DENSE128).toString(),
                "jobName", JOB,
                "redisUrl", redis.uri(),
                "modelParallelism", 2,
                "threadPerModel", 1,
                "checkpointIntervalMillis", 5_000));

        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("flink"), 2, Duration.ofSeconds(60));
             RedisConnector connector = new RedisConnector(redis.endpoint(), 1);
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            JobHandle job = ClusterServingJob.start(config, cluster.restAddress(), List.of(JOB_JAR));
            try {
                enqueue(connection.async());
                awaitResults(connection.sync(), cluster);
                RedisCommands<String, String> cmd = connection.sync();
                for (int i = 0; i < REQUESTS; i++) {
                    Map<String, String> hash = cmd.hgetall(key(i));
                    assertThat(hash).as("result of request %d", i).containsOnlyKeys("value");
                    JsonNode row = JSON.readTree(hash.get("value")).get("predictions").get(0);
                    float[] expected = DENSE128.predict(Dense128Reference.input(i));
                    assertThat(row).hasSize(128);
                    for (int j = 0; j < 128; j++) {
                        assertThat(row.get(j).floatValue()).as("request %d output %d", i, j)
                                .isCloseTo(expected[j], within(1e-4f));
                    }
                }
                // One inference subtask per TaskManager: each process used its single slot.
                for (JsonNode tm : cluster.rest("/taskmanagers").path("taskmanagers")) {
                    assertThat(tm.path("freeSlots").asInt()).as("free slots of %s", tm.path("id").asText()).isZero();
                }

                String status = run("cluster", "status", "--flink-master", cluster.restAddress());
                assertThat(status).contains(job.jobId().toString()).contains("RUNNING").contains(JOB);
                String stop = run("cluster", "stop", "--job-name", JOB, "--flink-master", cluster.restAddress());
                assertThat(stop).contains("cancelled job " + job.jobId());
                assertThat(job.awaitTermination(Duration.ofSeconds(30))).isEqualTo(JobStatus.CANCELED);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
            } finally {
                job.close();
            }
        }
    }

    private static void enqueue(RedisAsyncCommands<String, String> async) {
        async.setAutoFlushCommands(false);
        List<RedisFuture<String>> adds = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            adds.add(async.xadd(JOB, Map.of("uri", uri(i), "data", body(Dense128Reference.input(i)))));
        }
        async.flushCommands();
        async.setAutoFlushCommands(true);
        assertThat(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, adds.toArray(new RedisFuture[0]))).isTrue();
    }

    private static void awaitResults(RedisCommands<String, String> cmd, FlinkSessionCluster cluster) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int next = 0;
        while (next < REQUESTS && System.nanoTime() < deadline) {
            while (next < REQUESTS && cmd.exists(key(next)) == 1) {
                next++;
            }
            if (next < REQUESTS) {
                Thread.sleep(200);
            }
        }
        assertThat(next).as("requests answered before the deadline\n" + (next < REQUESTS ? cluster.logs() : ""))
                .isEqualTo(REQUESTS);
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertThat(code).as("exit code of %s; stderr: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    private static String uri(int i) {
        return "req-" + i;
    }

    private static String key(int i) {
        return "cluster-serving_" + JOB + ":" + uri(i);
    }

    static String body(float[] x) {
        StringBuilder b = new StringBuilder("{\"instances\": [[");
        for (int i = 0; i < x.length; i++) {
            b.append(i == 0 ? "" : ", ").append(x[i]);
        }
        return b.append("]]}").toString();
    }
}
