package io.clusterserving.flink.source;

import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.queue.redis.RedisQueueNames;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the Redis Streams source reads: the request stream (the job name), the consumer group, the
 * consumer name prefix (subtask i reads as {@code <prefix>-<i>}), entries per XREADGROUP, how long one
 * read blocks, after how long another consumer's pending entries are taken over (XAUTOCLAIM), and how
 * often the stream is trimmed of entries every group has acknowledged (0 = never).
 */
public record RedisSourceSettings(RedisConnection redis, String stream, String group, String consumerPrefix,
                                  int batchSize, long blockMillis, long claimIdleMillis, long trimIntervalMillis)
        implements Serializable {
    public static final long DEFAULT_BLOCK_MILLIS = 100;

    public static RedisSourceSettings from(ClusterServingConfig c) {
        RedisQueueNames names = new RedisQueueNames(c.jobName());
        return new RedisSourceSettings(RedisConnection.from(c), names.requestStream(), RedisQueueNames.DEFAULT_GROUP,
                c.jobName(), c.batchSize(), DEFAULT_BLOCK_MILLIS, c.claimIdleMillis(), c.redisTrimIntervalMillis());
    }

    public String consumerName(int subtaskIndex) {
        return RedisQueueNames.consumerName(consumerPrefix, subtaskIndex);
    }

    public Duration block() {
        return Duration.ofMillis(blockMillis);
    }

    public Duration claimIdle() {
        return Duration.ofMillis(claimIdleMillis);
    }
}
