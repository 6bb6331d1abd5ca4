package io.clusterserving.queue.client;

import java.time.Duration;

/**
 * How a queue client keeps results and reads its reply stream or output topic.
 *
 * @param resultBufferCapacity results kept for {@code dequeue} (and, for Kafka, for {@code query});
 *                             past it the oldest are dropped with a warning (Redis hashes stay queryable)
 * @param replyTtl             Redis: how long the client's reply stream lives without new results
 * @param pollInterval         how long one blocking read of the reply stream / output topic waits;
 *                             bounds how long {@code close()} takes
 */
public record QueueClientSettings(int resultBufferCapacity, Duration replyTtl, Duration pollInterval) {
    public static final QueueClientSettings DEFAULTS =
            new QueueClientSettings(10_000, Duration.ofHours(1), Duration.ofMillis(500));

    public QueueClientSettings {
        if (resultBufferCapacity <= 0) {
            throw new IllegalArgumentException("resultBufferCapacity must be positive, got " + resultBufferCapacity);
        }
        if (replyTtl == null || replyTtl.isNegative() || replyTtl.isZero()) {
            throw new IllegalArgumentException("replyTtl must be positive, got " + replyTtl);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
    }
}
