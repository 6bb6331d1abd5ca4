package io.clusterserving.flink.source;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An unbounded source of Redis stream entries on Flink's connector base: each reader gets one
 * {@link RedisStreamSplit} ({@link #splitOf}) when it registers, and a split reader
 * ({@link #createSplitReader}) that reads it on Flink's fetcher thread. Redis keeps where reading
 * resumes, so neither the enumerator nor the readers keep anything in Flink state.
 */
public abstract class RedisStreamSplitSource<T>
        implements Source<T, RedisStreamSplit, SplitPerReaderEnumerator.Checkpoint>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    /** The split of the reader with this subtask index. */
    protected abstract RedisStreamSplit splitOf(int subtaskIndex);

    /** A split reader for one source reader; called on the task thread, opens nothing yet. */
    protected abstract SplitReader<T, RedisStreamSplit> createSplitReader();

    @Override
    public final Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public final SourceReader<T, RedisStreamSplit> createReader(SourceReaderContext context) {
        return new RedisStreamSourceReader<>(this::createSplitReader, context);
    }

    @Override
    public final SplitEnumerator<RedisStreamSplit, SplitPerReaderEnumerator.Checkpoint> createEnumerator(
            SplitEnumeratorContext<RedisStreamSplit> context) {
        return new SplitPerReaderEnumerator<>(context, this::splitOf);
    }

    @Override
    public final SplitEnumerator<RedisStreamSplit, SplitPerReaderEnumerator.Checkpoint> restoreEnumerator(
            SplitEnumeratorContext<RedisStreamSplit> context, SplitPerReaderEnumerator.Checkpoint checkpoint) {
        return createEnumerator(context);
    }

    @Override
    public final SimpleVersionedSerializer<RedisStreamSplit> getSplitSerializer() {
        return new RedisStreamSplit.Serializer();
    }

    @Override
    public final SimpleVersionedSerializer<SplitPerReaderEnumerator.Checkpoint> getEnumeratorCheckpointSerializer() {
        return new SplitPerReaderEnumerator.CheckpointSerializer();
    }
}
