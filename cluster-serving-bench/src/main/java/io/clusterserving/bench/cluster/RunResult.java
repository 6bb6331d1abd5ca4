package io.clusterserving.bench.cluster;

/**
 * One measured burst.
 *
 * @param records      requests sent
 * @param enqueueNanos from the first send until the queue had accepted the last one
 * @param totalNanos   from the first send until the last result was written
 * @param errors       results carrying an error instead of a value
 * @param firstError   one of those errors (null when none), so a broken setup shows its cause
 */
public record RunResult(int records, long enqueueNanos, long totalNanos, long errors, String firstError) {

    public double recordsPerSecond() {
        return records / (totalNanos / 1e9);
    }
}
