package io.clusterserving.flink.job;

import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.testing.RedisProcess;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under light load a request does not wait for the micro-batch timer: the Redis source marks the last
 * entry of a read that drained the stream, and the inference operator runs its batch at once. Here the
 * timer is ten minutes and checkpoints (which flush too) are off, so only that mark can get these
 * requests answered within the test's minute.
 */
class RedisLoneRequestJobTest {
    private static final String JOB = "cs_lone";

    @Test
    void loneRequestsAreAnsweredWithoutWaitingForTheBatchTimer(@TempDir Path models) throws Exception {
        ExampleModels.halfPlusTwo(models);
        try (RedisProcess redis = RedisProcess.start();
             RedisConnector connector = new RedisConnector(redis.endpoint());
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            ClusterServingConfig config = ClusterServingConfig.fromYaml("""
                    modelPath: %s
                    jobName: %s
                    redisUrl: %s
                    batchSize: 64
                    batchTimeoutMillis: 600000
                    checkpointIntervalMillis: 0
                    webUiPort: 0
                    """.formatted(models.resolve(ExampleModels.HALF_PLUS_TWO), JOB, redis.url()));
            try (JobHandle job = ClusterServingJob.start(config)) {
                for (int i = 0; i < 3; i++) {
                    String key = "cluster-serving_" + JOB + ":lone-" + i;
                    cmd.xadd(JOB, "uri", "lone-" + i, "data", "{\"instances\": [" + i + "]}");
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (cmd.exists(key) == 0) {
                        assertThat(System.nanoTime()).as("result of lone-%d within 60 s (job %s)", i, job.status())
                                .isLessThan(deadline);
                        Thread.sleep(20);
                    }
                    assertThat(cmd.hget(key, "value")).contains("predictions").contains(Double.toString(0.5 * i + 2));
                }
            }
        }
    }
}
