package io.clusterserving.flink.modelstream;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.source.RedisStreamSplit;
import io.clusterserving.flink.source.SplitPerReaderEnumerator;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Reads the model stream its split names from the first entry on, blocking briefly for new ones, on
 * the source reader's fetcher thread.
 */
final class ModelStreamSplitReader implements SplitReader<byte[], RedisStreamSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStreamSplitReader.class);
    private static final Duration BLOCK = Duration.ofMillis(200);

    private final RedisConnection redis;
    private RedisStreamSplit split;
    private RedisConnector connector;
    private StatefulRedisConnection<String, String> connection;
    private String lastId = "0";

    ModelStreamSplitReader(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RedisStreamSplit> change) {
        RedisStreamSplit added = SplitPerReaderEnumerator.onlySplit(change, split);
        connector = new RedisConnector(redis.endpoint());
        connection = connector.connect();
        split = added;
    }

    @Override
    @SuppressWarnings("unchecked") // Lettuce's xread takes StreamOffset varargs
    public RecordsWithSplitIds<byte[]> fetch() {
        RedisCommands<String, String> cmd = connection.sync();
        List<StreamMessage<String, String>> entries = cmd.xread(
                XReadArgs.Builder.count(16).block(BLOCK), XReadArgs.StreamOffset.from(split.stream(), lastId));
        RecordsBySplits.Builder<byte[]> descriptors = new RecordsBySplits.Builder<>();
        for (StreamMessage<String, String> e : entries == null ? List.<StreamMessage<String, String>>of() : entries) {
            lastId = e.getId();
            try {
                ModelUpdate update = ModelUpdate.fromFields(e.getBody());
                LOG.info("model stream '{}': entry {} publishes {}", split.stream(), e.getId(), update);
                descriptors.add(split.splitId(), update.toBytes());
            } catch (ServingException bad) {
                LOG.warn("model stream '{}': skipping entry {}: {}", split.stream(), e.getId(), bad.getMessage());
            }
        }
        return descriptors.build();
    }

    /** Nothing to interrupt: a read blocks for at most 200 ms. */
    @Override
    public void wakeUp() {
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (connector != null) {
            connector.close();
        }
    }
}
