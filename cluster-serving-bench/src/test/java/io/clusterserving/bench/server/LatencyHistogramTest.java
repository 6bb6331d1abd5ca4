package io.clusterserving.bench.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndCoverEveryValue() {
        for (int b = 1; b < LatencyHistogram.BUCKETS; b++) {
            assertThat(LatencyHistogram.lowerBound(b)).as("bucket %d", b)
                    .isEqualTo(LatencyHistogram.upperBound(b - 1) + 1);
        }
        assertThat(LatencyHistogram.upperBound(LatencyHistogram.BUCKETS - 1)).isEqualTo(LatencyHistogram.MAX_VALUE);
    }

    @Test
    void everyValueLandsInTheBucketThatBoundsIt() {
        long[] values = {0, 1, 127, 128, 129, 255, 256, 1000, 12_345, 1_000_000, 987_654_321L, LatencyHistogram.MAX_VALUE};
        for (long v : values) {
            int b = LatencyHistogram.bucketOf(v);
            assertThat(v).as("value %d in bucket %d", v, b)
                    .isBetween(LatencyHistogram.lowerBound(b), LatencyHistogram.upperBound(b));
        }
    }

    @Test
    void bucketWidthIsAtMostOneSixtyFourthOfItsValue() {
        for (int b = (int) LatencyHistogram.LINEAR_LIMIT; b < LatencyHistogram.BUCKETS; b++) {
            long width = LatencyHistogram.upperBound(b) - LatencyHistogram.lowerBound(b) + 1;
            assertThat((double) width / LatencyHistogram.lowerBound(b)).isLessThanOrEqualTo(1.0 / 64);
        }
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        IntStream.rangeClosed(1, 100).forEach(h::record);
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.valueAtPercentile(50)).isEqualTo(50);
        assertThat(h.valueAtPercentile(90)).isEqualTo(90);
        assertThat(h.valueAtPercentile(99)).isEqualTo(99);
        assertThat(h.valueAtPercentile(100)).isEqualTo(100);
        assertThat(h.valueAtPercentile(0)).isEqualTo(1);
        assertThat(h.min()).isEqualTo(1);
        assertThat(h.max()).isEqualTo(100);
        assertThat(h.mean()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void largeValuesAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1_000; v <= 1_000_000; v += 1_000) {
            h.record(v);
        }
        assertThat((double) h.valueAtPercentile(50)).isCloseTo(500_000, within(500_000 / 64.0));
        assertThat((double) h.valueAtPercentile(90)).isCloseTo(900_000, within(900_000 / 64.0));
        assertThat((double) h.valueAtPercentile(99)).isCloseTo(990_000, within(990_000 / 64.0));
        assertThat(h.valueAtPercentile(100)).isEqualTo(1_000_000);
    }

    @Test
    void percentileIsClampedToTheRecordedRange() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_000_003);
        assertThat(h.valueAtPercentile(50)).isEqualTo(1_000_003);
    }

    @Test
    void emptyHistogramReportsZeros() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.count()).isZero();
        assertThat(h.valueAtPercentile(99)).isZero();
        assertThat(h.min()).isZero();
        assertThat(h.max()).isZero();
        assertThat(h.mean()).isZero();
    }

    @Test
    void addMergesCountsAndExtremes() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        a.record(20);
        b.record(5);
        b.record(3_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(4);
        assertThat(a.min()).isEqualTo(5);
        assertThat(a.max()).isEqualTo(3_000);
        assertThat(a.valueAtPercentile(50)).isEqualTo(10);
        assertThat(a.mean()).isCloseTo(3035 / 4.0, within(1e-9));
    }

    @Test
    void negativeAndHugeValuesAreKept() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE / 2);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.min()).isZero();
        assertThat(h.valueAtPercentile(100)).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void concurrentRecordingLosesNothing() throws InterruptedException {
        LatencyHistogram h = new LatencyHistogram();
        List<Thread> threads = IntStream.range(0, 4).mapToObj(t -> new Thread(() -> {
            for (int i = 0; i < 10_000; i++) {
                h.record(i % 500);
            }
        })).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(h.count()).isEqualTo(40_000);
    }

    @Test
    void rejectsPercentilesOutsideZeroToHundred() {
        assertThatThrownBy(() -> new LatencyHistogram().valueAtPercentile(101))
                .hasMessageContaining("[0, 100]");
    }

    @Test
    void medianRunIsTheMiddleThroughput() {
        RunResult slow = run(100);
        RunResult mid = run(200);
        RunResult fast = run(300);
        LevelResult level = LevelResult.of(List.of(fast, slow, mid));
        assertThat(level.median()).isSameAs(mid);
        assertThat(level.runThroughputs()).containsExactly(30.0, 10.0, 20.0);
    }

    private static RunResult run(long requests) {
        return new RunResult(4, Duration.ofSeconds(10), requests, 0, null, new LatencyHistogram());
    }
}
