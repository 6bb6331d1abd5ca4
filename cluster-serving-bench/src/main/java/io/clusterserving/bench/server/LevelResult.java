package io.clusterserving.bench.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The result reported for one concurrency level: the run with the median throughput of its repeats.
 *
 * @param median          that run
 * @param runThroughputs  every run's throughput, in run order
 */
public record LevelResult(RunResult median, List<Double> runThroughputs) {
    public LevelResult {
        runThroughputs = List.copyOf(runThroughputs);
    }

    /** Picks the run of median throughput (the lower middle one for an even count). */
    public static LevelResult of(List<RunResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a level needs at least one run");
        }
        List<RunResult> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(RunResult::throughput));
        RunResult median = sorted.get((sorted.size() - 1) / 2);
        return new LevelResult(median, runs.stream().map(RunResult::throughput).toList());
    }

    public int concurrency() {
        return median.concurrency();
    }

    /** Latency at a percentile, in milliseconds. */
    public double latencyMillis(double percentile) {
        return median.latencies().valueAtPercentile(percentile) / 1000.0;
    }
}
