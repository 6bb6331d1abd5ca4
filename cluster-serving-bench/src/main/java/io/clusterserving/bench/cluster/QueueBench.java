package io.clusterserving.bench.cluster;

import io.clusterserving.core.error.ServingException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The runs of {@code cluster bench}: one unmeasured warm-up burst, then {@code runs} measured bursts of
 * {@code records} requests each, printed as a table with the median records/s.
 *
 * @param records       requests per measured run, at least 1
 * @param warmupRecords requests of the warm-up run, 0 for none
 * @param runs          measured runs, at least 1
 * @param timeout       longest wait for one run's results
 */
public record QueueBench(int records, int warmupRecords, int runs, Duration timeout) {

    public QueueBench {
        if (records < 1 || runs < 1 || warmupRecords < 0) {
            throw ServingException.invalidArgument("--records and --runs must be >= 1 and --warmup-records >= 0, got %d, %d and %d",
                    records, runs, warmupRecords);
        }
    }

    /**
     * Sends every burst of {@code body} through {@code load}, printing to {@code out} as it goes.
     *
     * @return how many results were errors (the first one is printed)
     */
    public long run(QueueLoad load, String jobName, String body, PrintWriter out) throws InterruptedException {
        out.printf(Locale.ROOT, "%s; job '%s'; %,d records per run, %d runs, %,d warm-up records%n",
                load.describe(), jobName, records, runs, warmupRecords);
        out.flush();
        String id = UUID.randomUUID().toString().substring(0, 8);
        long errors = 0;
        String firstError = null;
        if (warmupRecords > 0) {
            RunResult w = load.run("bench-" + id + "-warmup:", warmupRecords, body, timeout,
                    QueueLoad.ResultCheck.ON_ARRIVAL);
            out.printf(Locale.ROOT, "warm-up: %,.0f records/s, %d errors%n", w.recordsPerSecond(), w.errors());
            errors += w.errors();
            firstError = w.firstError();
        }
        out.println();
        out.println("run    records/s    seconds   enqueue s   errors");
        List<RunResult> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            collectGarbage();
            RunResult result = load.run("bench-" + id + "-run" + r + ":", records, body, timeout,
                    QueueLoad.ResultCheck.AFTER_CLOCK);
            results.add(result);
            errors += result.errors();
            firstError = firstError != null ? firstError : result.firstError();
            out.printf(Locale.ROOT, "%3d %12.0f %10.2f %11.2f %8d%n", r, result.recordsPerSecond(),
                    result.totalNanos() / 1e9, result.enqueueNanos() / 1e9, result.errors());
            out.flush();
        }
        results.sort(Comparator.comparingDouble(RunResult::recordsPerSecond));
        out.printf(Locale.ROOT, "%nmedian: %,.0f records/s end to end%n",
                results.get(results.size() / 2).recordsPerSecond());
        if (errors > 0) {
            out.println(errors + " results were errors, e.g. " + firstError);
        }
        out.flush();
        return errors;
    }

    /**
     * A full collection of this (the load generator's) JVM between runs, as JMH does between
     * iterations: the garbage of the run before (200k results kept for checking) is then not
     * collected while the next run is measured.
     */
    private static void collectGarbage() {
        System.gc();
    }
}
