package io.clusterserving.flink.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.flink.testing.JobProcess;
import io.clusterserving.flink.testing.RedisProcess;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job runs in its own JVM, is killed with SIGKILL while entries keep arriving, and a new JVM
 * takes over: every entry ends up with the right result hash and nothing stays pending.
 */
class KillAndRestartTest {
    private static final String JOB = "cs_kill";
    private static final int TOTAL = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void kill9MidStreamAndRestartLosesNothing() throws Exception {
        ExampleModels.halfPlusTwo(dir);
        try (RedisProcess redis = RedisProcess.start(); RedisConnector connector = new RedisConnector(redis.endpoint());
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, """
                    modelPath: %s
                    jobName: %s
                    redisUrl: %s
                    modelParallelism: 2
                    batchSize: 16
                    webUiPort: 0
                    checkpointIntervalMillis: 1000
                    """.formatted(dir.resolve(ExampleModels.HALF_PLUS_TWO), JOB, redis.url()));

            long answeredAtKill;
            long pendingAtKill;
            try (JobProcess first = JobProcess.start(config, dir.resolve("first.log"))) {
                try {
                    addEntries(cmd, 0, 500);
                    first.await(() -> answered(cmd, 500) >= 150, 60);
                } finally {
                    // Entries keep arriving on another connection while the job is killed mid-stream.
                    Thread producer = new Thread(() -> {
                        try (StatefulRedisConnection<String, String> c = connector.connect()) {
                            addEntries(c.sync(), 500, TOTAL);
                        }
                    });
                    producer.start();
                    Thread.sleep(100);
                    first.kill(); // SIGKILL: no shutdown hook, no flush, no XACK of in-flight batches
                    answeredAtKill = answered(cmd, TOTAL);
                    pendingAtKill = cmd.xpending(JOB, "serving").getCount();
                    producer.join();
                }
            }
            System.out.printf("kill -9 after %d of %d entries were answered; %d were delivered but unacknowledged%n",
                    answeredAtKill, TOTAL, pendingAtKill);
            assertThat(answeredAtKill).as("killed mid-stream").isLessThan(TOTAL);

            try (JobProcess second = JobProcess.start(config, dir.resolve("second.log"))) {
                second.await(() -> answered(cmd, TOTAL) == TOTAL, 90);
                second.await(() -> cmd.xpending(JOB, "serving").getCount() == 0, 30);
            }
            for (int i = 0; i < TOTAL; i++) {
                Map<String, String> hash = cmd.hgetall(key(i));
                assertThat(hash).as("result of entry %d", i).containsOnlyKeys("value");
                double prediction = JSON.readTree(hash.get("value")).get("predictions").get(0).asDouble();
                assertThat(prediction).as("entry %d", i).isEqualTo(0.5 * i + 2);
            }
        }
    }

    private static int addEntries(RedisCommands<String, String> cmd, int from, int to) {
        for (int i = from; i < to; i++) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("uri", "k-" + i);
            fields.put("data", "{\"instances\": [" + i + "]}");
            cmd.xadd(JOB, fields);
        }
        return to;
    }

    private static long answered(RedisCommands<String, String> cmd, int upTo) {
        String[] keys = new String[upTo];
        for (int i = 0; i < upTo; i++) {
            keys[i] = key(i);
        }
        return upTo == 0 ? 0 : cmd.exists(keys);
    }

    private static String key(int i) {
        return "cluster-serving_" + JOB + ":k-" + i;
    }
}
