package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

/**
 * Requests from a Redis stream. Subtask i reads as consumer {@code <jobName>-<i>} of the job's
 * consumer group, in batches (XREADGROUP COUNT), re-reading its own pending entries first after any
 * restart and taking over entries left pending by consumers that are gone (XAUTOCLAIM); see
 * {@link RedisRequestSplitReader}.
 *
 * <p>Nothing is acknowledged by the source and nothing is kept in Flink state: the Redis pending
 * entries list is the source's position. The Redis result sink XACKs an entry only after writing its
 * result, so a crash anywhere (even {@code kill -9} of the whole job) loses nothing; entries in flight
 * are delivered again and their result hashes overwritten with the same value (at-least-once
 * processing, idempotent results keyed by uri). Acknowledging on a completed checkpoint instead would
 * be as safe (the inference operator flushes before each barrier and the sink writes synchronously),
 * but would hold every entry pending for a checkpoint interval, and acknowledge nothing with
 * checkpoints off.
 */
public final class RedisStreamSource extends RedisStreamSplitSource<QueueRequest> {
    private static final long serialVersionUID = 1L;

    private final RedisSourceSettings settings;

    public RedisStreamSource(RedisSourceSettings settings) {
        this.settings = settings;
    }

    @Override
    protected RedisStreamSplit splitOf(int subtaskIndex) {
        return RedisStreamSplit.asConsumer(settings.stream(), settings.consumerName(subtaskIndex));
    }

    @Override
    protected SplitReader<QueueRequest, RedisStreamSplit> createSplitReader() {
        return new RedisRequestSplitReader(settings);
    }

    @Override
    public TypeInformation<QueueRequest> getProducedType() {
        return TypeInformation.of(QueueRequest.class);
    }
}
