package io.clusterserving.flink.source;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Gives every reader one split derived from its subtask index when it registers, for queues that
 * decide themselves which reader gets which entry and keep positions themselves (a Redis consumer
 * group and its pending entries list). Readers register on every start, after a failover too, so
 * registration is the one moment a split is handed out: splits handed back by a failed reader
 * ({@link #addSplitsBack}) are dropped, its successor gets the same split when it registers. Nothing
 * to checkpoint.
 */
public final class SplitPerReaderEnumerator<S extends SourceSplit>
        implements SplitEnumerator<S, SplitPerReaderEnumerator.Checkpoint> {

    /** The enumerator's checkpoint: always empty. */
    public enum Checkpoint { EMPTY }

    private final SplitEnumeratorContext<S> context;
    private final IntFunction<S> splitOfReader;

    /** @param splitOfReader the split of the reader with the given subtask index */
    public SplitPerReaderEnumerator(SplitEnumeratorContext<S> context, IntFunction<S> splitOfReader) {
        this.context = context;
        this.splitOfReader = splitOfReader;
    }

    /**
     * The split a split reader is given, checking what this enumerator promises: splits are only
     * added, one per reader, once.
     *
     * @param current the split the reader has already, or null
     */
    public static <S extends SourceSplit> S onlySplit(SplitsChange<S> change, S current) {
        if (!(change instanceof SplitsAddition) || change.splits().size() != 1 || current != null) {
            throw new IllegalStateException("a reader gets one split, once; reader of split "
                    + (current == null ? "(none)" : "'" + current.splitId() + "'") + " was given "
                    + change.getClass().getSimpleName() + " of " + change.splits().stream()
                    .map(s -> "'" + s.splitId() + "'").toList());
        }
        return change.splits().get(0);
    }

    @Override
    public void start() {
    }

    @Override
    public void addReader(int subtaskId) {
        context.assignSplit(splitOfReader.apply(subtaskId), subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
    }

    @Override
    public void addSplitsBack(List<S> splits, int subtaskId) {
    }

    @Override
    public Checkpoint snapshotState(long checkpointId) {
        return Checkpoint.EMPTY;
    }

    @Override
    public void close() {
    }

    /** Writes nothing, reads {@link Checkpoint#EMPTY}. */
    public static final class CheckpointSerializer implements SimpleVersionedSerializer<Checkpoint> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Checkpoint checkpoint) {
            return new byte[0];
        }

        @Override
        public Checkpoint deserialize(int version, byte[] serialized) throws IOException {
            if (serialized.length != 0) {
                throw new IOException("enumerator checkpoint of " + serialized.length + " bytes, expected none");
            }
            return Checkpoint.EMPTY;
        }
    }
}
