package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.redis.RedisStreamEntry;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import java.util.List;
import java.util.Set;

/**
 * The entries of one read, handed from the fetcher thread to the task thread. Each entry becomes its
 * request as the task thread takes it, so the requests need no list of their own.
 * When the read returned fewer entries than asked for, the stream was drained for now: its last
 * request is marked {@link QueueRequest#endOfBurst()} so the inference operator does not wait for
 * more.
 */
final class RedisRequestFetch implements RecordsWithSplitIds<QueueRequest> {
    private final String splitId;
    private final List<RedisStreamEntry> entries;
    private final boolean drained;
    private boolean splitTaken;
    private int next;

    RedisRequestFetch(String splitId, List<RedisStreamEntry> entries, boolean drained) {
        this.splitId = splitId;
        this.entries = entries;
        this.drained = drained;
    }

    /** The one place a Redis stream entry becomes the request the job carries. */
    static QueueRequest request(RedisStreamEntry entry, boolean endOfBurst) {
        QueueRequest request = QueueRequest.received(entry.id(), entry.request());
        return endOfBurst ? request.endingBurst() : request;
    }

    @Override
    public String nextSplit() {
        if (splitTaken || entries.isEmpty()) {
            return null;
        }
        splitTaken = true;
        return splitId;
    }

    @Override
    public QueueRequest nextRecordFromSplit() {
        if (next == entries.size()) {
            return null;
        }
        int index = next++;
        return request(entries.get(index), drained && next == entries.size());
    }

    /** The split of a Redis consumer never ends. */
    @Override
    public Set<String> finishedSplits() {
        return Set.of();
    }
}
