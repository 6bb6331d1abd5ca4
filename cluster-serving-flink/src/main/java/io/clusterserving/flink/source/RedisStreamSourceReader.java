package io.clusterserving.flink.source;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.List;
import java.util.Map;

/**
 * One subtask's reader of the request stream: Flink's fetcher thread runs a
 * {@link RedisStreamSplitReader} for the subtask's consumer and hands its reads over through Flink's
 * bounded element queue (when it is full the fetcher stops reading, which is how backpressure reaches
 * Redis); the task thread emits the requests one by one.
 */
final class RedisStreamSourceReader extends SingleThreadMultiplexSourceReaderBase<ServingRequest, ServingRequest,
        RedisConsumerSplit, RedisConsumerSplit> {

    RedisStreamSourceReader(RedisSourceSettings settings, SourceReaderContext context) {
        super(() -> new RedisStreamSplitReader(settings), (request, output, split) -> output.collect(request),
                context.getConfiguration(), context);
    }

    /**
     * No split in Flink state: the consumer's pending entries list in Redis is where it resumes, and
     * the enumerator gives a restarted reader its consumer again (a split restored here as well would
     * be read twice).
     */
    @Override
    public List<RedisConsumerSplit> snapshotState(long checkpointId) {
        return List.of();
    }

    @Override
    protected void onSplitFinished(Map<String, RedisConsumerSplit> finishedSplitIds) {
    }

    @Override
    protected RedisConsumerSplit initializedState(RedisConsumerSplit split) {
        return split;
    }

    @Override
    protected RedisConsumerSplit toSplitType(String splitId, RedisConsumerSplit split) {
        return split;
    }
}
