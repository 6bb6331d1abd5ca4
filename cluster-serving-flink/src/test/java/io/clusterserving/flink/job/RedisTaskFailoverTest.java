package io.clusterserving.flink.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.testing.RedisProcess;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover inside a running job (no new process): one result cannot be written (its key holds a
 * string, so the sink's script fails with WRONGTYPE), the tasks fail and Flink restarts them until the
 * key is cleared. The restarted readers get their consumers back from the enumerator and re-read what
 * they had been handed: every entry is answered with the right value, nothing stays pending, and no
 * consumer name other than the subtasks' own ever appears in the group.
 */
class RedisTaskFailoverTest {
    private static final String JOB = "cs_failover";
    private static final int TOTAL = 400;
    private static final int BLOCKED = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void restartedTasksReadTheirPendingEntriesAgainAndLoseNothing(@TempDir Path models) throws Exception {
        ExampleModels.halfPlusTwo(models);
        try (RedisProcess redis = RedisProcess.start();
             RedisConnector connector = new RedisConnector(redis.endpoint());
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            ClusterServingConfig config = ClusterServingConfig.fromYaml("""
                    modelPath: %s
                    jobName: %s
                    redisUrl: %s
                    modelParallelism: 2
                    batchSize: 16
                    webUiPort: 0
                    checkpointIntervalMillis: 1000
                    """.formatted(models.resolve(ExampleModels.HALF_PLUS_TWO), JOB, redis.url()));
            cmd.set(key(BLOCKED), "not a hash");
            try (JobHandle job = ClusterServingJob.start(config)) {
                for (int i = 0; i < TOTAL; i++) {
                    cmd.xadd(JOB, "uri", "k-" + i, "data", "{\"instances\": [" + i + "]}");
                }
                HttpClient http = HttpClient.newHttpClient();
                URI exceptions = URI.create(job.webUiUrl() + "/jobs/" + job.jobId() + "/exceptions");
                await(() -> send(http, exceptions).contains("WRONGTYPE"));
                cmd.del(key(BLOCKED));

                await(() -> answered(cmd) == TOTAL && cmd.xpending(JOB, "serving").getCount() == 0);
                for (int i = 0; i < TOTAL; i++) {
                    String value = cmd.hget(key(i), "value");
                    assertThat(value).as("result of entry %d", i).isNotNull();
                    assertThat(JSON.readTree(value).get("predictions").get(0).asDouble()).as("entry %d", i)
                            .isEqualTo(0.5 * i + 2);
                }
                assertThat(consumers(cmd)).as("consumers of the group").isSubsetOf(JOB + "-0", JOB + "-1");
            }
        }
    }

    private static long answered(RedisCommands<String, String> cmd) {
        String[] keys = new String[TOTAL];
        for (int i = 0; i < TOTAL; i++) {
            keys[i] = key(i);
        }
        return cmd.exists(keys);
    }

    /** XINFO CONSUMERS: each consumer is a flat list of field, value, ... with "name" first. */
    private static List<String> consumers(RedisCommands<String, String> cmd) {
        List<String> names = new ArrayList<>();
        for (Object consumer : cmd.xinfoConsumers(JOB, "serving")) {
            List<?> fields = (List<?>) consumer;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("name".equals(fields.get(i))) {
                    names.add((String) fields.get(i + 1));
                }
            }
        }
        return names;
    }

    private static String send(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 90 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String key(int i) {
        return "cluster-serving_" + JOB + ":k-" + i;
    }
}
