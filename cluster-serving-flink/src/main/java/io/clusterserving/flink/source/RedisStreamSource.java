package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;

/**
 * Requests from a Redis stream (FLIP-27). Subtask i reads as consumer {@code <jobName>-<i>} of the
 * job's consumer group, in batches (XREADGROUP COUNT), re-reading its own pending entries first after
 * any restart and taking over entries left pending by consumers that are gone (XAUTOCLAIM).
 *
 * <p>Nothing is acknowledged here and nothing is kept in Flink state: the Redis pending entries list
 * is the source's position. The Redis result sink XACKs an entry only after writing its result, so a
 * crash anywhere (even {@code kill -9} of the whole job) loses nothing; entries in flight are
 * delivered again and their result hashes overwritten with the same value (at-least-once processing,
 * idempotent results keyed by uri).
 */
public final class RedisStreamSource extends SplitlessSource<QueueRequest> {
    private static final long serialVersionUID = 1L;

    private final RedisSourceSettings settings;

    public RedisStreamSource(RedisSourceSettings settings) {
        this.settings = settings;
    }

    @Override
    public SourceReader<QueueRequest, NoSplit> createReader(SourceReaderContext context) {
        return new RedisStreamSourceReader(settings, context.getIndexOfSubtask(), context.metricGroup());
    }

    @Override
    public TypeInformation<QueueRequest> getProducedType() {
        return TypeInformation.of(QueueRequest.class);
    }
}
