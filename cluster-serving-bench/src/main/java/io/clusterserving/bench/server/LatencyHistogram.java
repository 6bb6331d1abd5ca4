package io.clusterserving.bench.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, counted in log-linear buckets: exact below 128 µs, then every power of
 * two is split into 64 equal buckets, so a reported value is within 1/64 (1.6 %) of the truth at any
 * magnitude, in a fixed 2.4k-counter array. Safe to record into from many threads at once.
 */
public final class LatencyHistogram {
    /** 2^6 = 64 sub-buckets per power of two. */
    static final int SUB_BUCKET_BITS = 6;
    static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values below this are their own bucket. */
    static final long LINEAR_LIMIT = 2L * SUB_BUCKETS;
    /** Largest value kept apart (~2^40 µs, 12 days); larger ones count in the last bucket. */
    static final long MAX_VALUE = (1L << 40) - 1;
    static final int BUCKETS = bucketOf(MAX_VALUE) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

    /** Counts one latency; negative values count as 0. */
    public void record(long micros) {
        long v = Math.max(0, micros);
        counts.incrementAndGet(bucketOf(Math.min(v, MAX_VALUE)));
        total.incrementAndGet();
        sum.addAndGet(v);
        min.accumulateAndGet(v, Math::min);
        max.accumulateAndGet(v, Math::max);
    }

    public long count() {
        return total.get();
    }

    /** Smallest recorded value, 0 when empty. */
    public long min() {
        return count() == 0 ? 0 : min.get();
    }

    /** Largest recorded value, 0 when empty. */
    public long max() {
        return count() == 0 ? 0 : max.get();
    }

    public double mean() {
        long n = count();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The value below or at which {@code percentile} percent of the recorded values lie: the middle of
     * the bucket holding the value of that rank, clamped to [min, max]; the largest value for 100.
     * 0 when empty.
     */
    public long valueAtPercentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be within [0, 100], got " + percentile);
        }
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        if (rank >= n) {
            return max();
        }
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts.get(b);
            if (seen >= rank) {
                long mid = lowerBound(b) + (upperBound(b) - lowerBound(b)) / 2;
                return Math.max(min(), Math.min(max(), mid));
            }
        }
        return max();
    }

    /** Adds every count of {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int b = 0; b < BUCKETS; b++) {
            long c = other.counts.get(b);
            if (c != 0) {
                counts.addAndGet(b, c);
            }
        }
        if (other.count() > 0) {
            total.addAndGet(other.count());
            sum.addAndGet(other.sum.get());
            min.accumulateAndGet(other.min(), Math::min);
            max.accumulateAndGet(other.max(), Math::max);
        }
    }

    /** Bucket index of a value in [0, MAX_VALUE]. */
    static int bucketOf(long value) {
        if (value < LINEAR_LIMIT) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS;
        // value >> shift is in [64, 128): the top 7 bits, the leading one included.
        return (int) (((long) shift << SUB_BUCKET_BITS) + (value >> shift));
    }

    /** Smallest value counted in bucket {@code b}. */
    static long lowerBound(int b) {
        if (b < LINEAR_LIMIT) {
            return b;
        }
        int shift = (b >> SUB_BUCKET_BITS) - 1;
        long mantissa = (b & (SUB_BUCKETS - 1)) + SUB_BUCKETS;
        return mantissa << shift;
    }

    /** Largest value counted in bucket {@code b}. */
    static long upperBound(int b) {
        if (b < LINEAR_LIMIT) {
            return b;
        }
        int shift = (b >> SUB_BUCKET_BITS) - 1;
        long mantissa = (b & (SUB_BUCKETS - 1)) + SUB_BUCKETS;
        return ((mantissa + 1) << shift) - 1;
    }
}
