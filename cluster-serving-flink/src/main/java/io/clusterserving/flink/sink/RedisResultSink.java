package io.clusterserving.flink.sink;

import io.clusterserving.flink.inference.ResultBatch;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.redis.RedisQueueNames;
import io.clusterserving.queue.redis.RedisResultWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes each micro-batch's results to Redis (result hashes, plus {@code reply_to} streams) in one
 * pipelined round trip, waits for every reply, and only then XACKs the batch's stream entries. If the
 * write fails the exception fails the task: the entries stay pending and the restarted source reads
 * them again, so an entry is never acknowledged without its result in Redis.
 */
public final class RedisResultSink implements Sink<ResultBatch> {
    private static final long serialVersionUID = 1L;

    private final RedisSinkSettings settings;

    public RedisResultSink(RedisSinkSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<ResultBatch> createWriter(WriterInitContext context) {
        return new Writer(RedisResultWriter.open(settings.redis().endpoint(), new RedisQueueNames(settings.jobName()),
                settings.group(), settings.resultTtl()));
    }

    private static final class Writer implements SinkWriter<ResultBatch> {
        private final RedisResultWriter writer;

        Writer(RedisResultWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(ResultBatch batch, Context context) {
            List<String> acks = new ArrayList<>(batch.size());
            for (QueueResult r : batch.results()) {
                if (r.ackId() != null) {
                    acks.add(r.ackId());
                }
            }
            writer.writeAndAck(batch.asList(), acks);
        }

        /** Nothing is buffered: every batch is written (and acknowledged) in {@link #write}. */
        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
