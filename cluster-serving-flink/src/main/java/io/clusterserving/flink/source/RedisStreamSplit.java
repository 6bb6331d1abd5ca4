package io.clusterserving.flink.source;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What one reader of a Redis stream reads: the stream, and the consumer of the source's consumer
 * group it reads as (null: the whole stream, from its first entry, outside any group). Redis decides
 * which entries a consumer gets and keeps where it resumes (the group's pending entries list), so the
 * split has no position and never finishes.
 *
 * @param consumer the consumer name, or null to read the whole stream
 */
public record RedisStreamSplit(String stream, String consumer) implements SourceSplit {

    public static RedisStreamSplit asConsumer(String stream, String consumer) {
        return new RedisStreamSplit(stream, consumer);
    }

    public static RedisStreamSplit whole(String stream) {
        return new RedisStreamSplit(stream, null);
    }

    @Override
    public String splitId() {
        return consumer == null ? stream : stream + "/" + consumer;
    }

    /** Stream, then whether a consumer follows, then the consumer. */
    static final class Serializer implements SimpleVersionedSerializer<RedisStreamSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(RedisStreamSplit split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(split.stream());
                out.writeBoolean(split.consumer() != null);
                if (split.consumer() != null) {
                    out.writeUTF(split.consumer());
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public RedisStreamSplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Redis stream split of serializer version " + version + ", expected 1");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                String stream = in.readUTF();
                return new RedisStreamSplit(stream, in.readBoolean() ? in.readUTF() : null);
            }
        }
    }
}
