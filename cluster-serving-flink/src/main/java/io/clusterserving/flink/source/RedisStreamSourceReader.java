package io.clusterserving.flink.source;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One subtask's reader of a Redis stream: Flink's fetcher thread runs the split reader and hands its
 * reads over through Flink's bounded element queue (when the queue is full the fetcher stops reading,
 * which is how backpressure reaches Redis); the task thread emits the records one by one, as the split
 * reader made them.
 */
public final class RedisStreamSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<T, T, RedisStreamSplit, RedisStreamSplit> {

    public RedisStreamSourceReader(Supplier<SplitReader<T, RedisStreamSplit>> splitReader,
                                   SourceReaderContext context) {
        super(splitReader, (record, output, split) -> output.collect(record), context.getConfiguration(), context);
    }

    /**
     * No split in Flink state: Redis keeps where a reader resumes, and the enumerator gives a
     * restarted reader its split again when it registers (a split restored here as well would be
     * read twice).
     */
    @Override
    public List<RedisStreamSplit> snapshotState(long checkpointId) {
        return List.of();
    }

    /** Never called: a Redis stream split does not finish. */
    @Override
    protected void onSplitFinished(Map<String, RedisStreamSplit> finishedSplits) {
    }

    @Override
    protected RedisStreamSplit initializedState(RedisStreamSplit split) {
        return split;
    }

    @Override
    protected RedisStreamSplit toSplitType(String splitId, RedisStreamSplit split) {
        return split;
    }
}
