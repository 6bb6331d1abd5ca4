package io.clusterserving.flink.source;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The split of one Redis source reader: the consumer name it reads the request stream as. Which
 * entries the consumer gets is decided by Redis (the consumer group hands each entry to one
 * consumer) and where it resumes is the group's pending entries list, so the split has no position
 * and never finishes.
 */
public record RedisConsumerSplit(String consumerName) implements SourceSplit {

    @Override
    public String splitId() {
        return consumerName;
    }

    /** The consumer name as UTF-8. */
    static final class Serializer implements SimpleVersionedSerializer<RedisConsumerSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(RedisConsumerSplit split) {
            return split.consumerName().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public RedisConsumerSplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Redis consumer split of serializer version " + version + ", expected 1");
            }
            return new RedisConsumerSplit(new String(serialized, StandardCharsets.UTF_8));
        }
    }
}
