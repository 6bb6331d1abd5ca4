package io.clusterserving.flink.modelstream;

import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.source.RedisStreamSplit;
import io.clusterserving.flink.source.RedisStreamSplitSource;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

/**
 * Model descriptors from a Redis stream, read from its beginning at every start (plain XREAD, no
 * consumer group: every job run sees every descriptor, and installing a version twice is a no-op).
 * Emits validated, serialized {@code ModelDescriptor}s; an entry that is not a valid descriptor is
 * logged with its problem and skipped. Run it at parallelism 1 and broadcast its output.
 */
public final class ModelStreamSource extends RedisStreamSplitSource<byte[]> {
    private static final long serialVersionUID = 1L;

    private final RedisConnection redis;
    private final String stream;

    public ModelStreamSource(RedisConnection redis, String stream) {
        this.redis = redis;
        this.stream = stream;
    }

    @Override
    protected RedisStreamSplit splitOf(int subtaskIndex) {
        return RedisStreamSplit.whole(stream);
    }

    @Override
    protected SplitReader<byte[], RedisStreamSplit> createSplitReader() {
        return new ModelStreamSplitReader(redis);
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
