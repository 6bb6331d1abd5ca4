package io.clusterserving.flink.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Requests from a Redis stream, on Flink's connector base. Subtask i reads as consumer
 * {@code <jobName>-<i>} of the job's consumer group (its split, {@link RedisConsumerSplit}, handed
 * out by {@link SplitPerReaderEnumerator}), in batches (XREADGROUP COUNT), re-reading its own
 * pending entries first after any restart and taking over entries left pending by consumers that are
 * gone (XAUTOCLAIM).
 *
 * <p>Nothing is acknowledged by the source and nothing is kept in Flink state: the Redis pending
 * entries list is the source's position. The Redis result sink XACKs an entry only after writing its
 * result, so a crash anywhere (even {@code kill -9} of the whole job) loses nothing; entries in flight
 * are delivered again and their result hashes overwritten with the same value (at-least-once
 * processing, idempotent results keyed by uri). Acknowledging on a completed checkpoint instead would
 * be as safe (the inference operator flushes before each barrier and the sink writes synchronously) but
 * would hold every entry pending for a checkpoint interval, and acknowledge nothing with checkpoints
 * off.
 */
public final class RedisStreamSource implements Source<ServingRequest, RedisConsumerSplit,
        SplitPerReaderEnumerator.Checkpoint>, ResultTypeQueryable<ServingRequest> {
    private static final long serialVersionUID = 1L;

    private final RedisSourceSettings settings;

    public RedisStreamSource(RedisSourceSettings settings) {
        this.settings = settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ServingRequest, RedisConsumerSplit> createReader(SourceReaderContext context) {
        return new RedisStreamSourceReader(settings, context);
    }

    @Override
    public SplitEnumerator<RedisConsumerSplit, SplitPerReaderEnumerator.Checkpoint> createEnumerator(
            SplitEnumeratorContext<RedisConsumerSplit> context) {
        return new SplitPerReaderEnumerator<>(context, this::consumerOf);
    }

    @Override
    public SplitEnumerator<RedisConsumerSplit, SplitPerReaderEnumerator.Checkpoint> restoreEnumerator(
            SplitEnumeratorContext<RedisConsumerSplit> context, SplitPerReaderEnumerator.Checkpoint checkpoint) {
        return createEnumerator(context);
    }

    @Override
    public SimpleVersionedSerializer<RedisConsumerSplit> getSplitSerializer() {
        return new RedisConsumerSplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<SplitPerReaderEnumerator.Checkpoint> getEnumeratorCheckpointSerializer() {
        return new SplitPerReaderEnumerator.CheckpointSerializer();
    }

    @Override
    public TypeInformation<ServingRequest> getProducedType() {
        return TypeInformation.of(ServingRequest.class);
    }

    private RedisConsumerSplit consumerOf(int subtaskIndex) {
        return new RedisConsumerSplit(settings.consumerName(subtaskIndex));
    }
}
