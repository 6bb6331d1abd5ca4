package io.clusterserving.flink.inference;

import io.clusterserving.queue.envelope.QueueResult;

import java.util.Arrays;
import java.util.List;

/**
 * The results of one micro-batch, handed to the sink as one element so it can write them in one
 * pipelined round trip and acknowledge them together. An array (not a List) so Flink serializes it
 * without Kryo.
 */
public record ResultBatch(QueueResult[] results) {

    public static ResultBatch of(List<QueueResult> results) {
        return new ResultBatch(results.toArray(QueueResult[]::new));
    }

    public List<QueueResult> asList() {
        return Arrays.asList(results);
    }

    public int size() {
        return results.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultBatch other && Arrays.equals(results, other.results);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(results);
    }

    @Override
    public String toString() {
        return "ResultBatch" + Arrays.toString(results);
    }
}
