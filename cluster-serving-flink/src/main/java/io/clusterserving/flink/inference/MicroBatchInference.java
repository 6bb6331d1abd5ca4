package io.clusterserving.flink.inference;

import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Micro-batches requests by count ({@code batchSize}) and time ({@code batchTimeoutMillis}, a
 * processing-time timer started by a batch's first record) — and runs a batch at once when its last
 * request ended a read that drained the queue ({@link QueueRequest#endOfBurst()}), so a lone request
 * under light load does not wait for the timer — scores each batch with one
 * {@link RequestScorer} per subtask and emits its results as one {@link ResultBatch}.
 *
 * <p>The buffer is flushed before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}) and
 * at end of input, so no record is held across a checkpoint and requests need no state. Bad records
 * become error results; the batch and the job carry on. Metrics (group {@code clusterServing}):
 * {@code records}, {@code errors}, {@code batchSize}, {@code batchLatencyMillis}, and per model
 * (subgroup {@code model=<name>}) {@code records} and {@code errors}.
 */
public abstract class MicroBatchInference extends AbstractStreamOperator<ResultBatch> {
    private static final long serialVersionUID = 1L;

    protected final InferenceSettings settings;
    private transient RequestScorer scorer;
    private transient List<QueueRequest> buffer;
    private transient boolean timerPending;
    private transient Counter records;
    private transient Counter errors;
    private transient Histogram batchSizes;
    private transient Histogram batchMillis;
    private transient MetricGroup metrics;
    private transient Map<String, Counter[]> perModel;

    protected MicroBatchInference(InferenceSettings settings) {
        this.settings = settings;
    }

    /** Creates this subtask's scorer; called once from {@link #open()}. */
    protected abstract RequestScorer openScorer() throws Exception;

    protected final RequestScorer scorer() {
        return scorer;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(settings.batchSize());
        scorer = openScorer();
        metrics = getMetricGroup().addGroup("clusterServing");
        perModel = new HashMap<>();
        records = metrics.counter("records");
        errors = metrics.counter("errors");
        batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        batchMillis = metrics.histogram("batchLatencyMillis", new DescriptiveStatisticsHistogram(1000));
    }

    /** Buffers a request; runs the batch when it is full, else makes sure a timer will run it. */
    protected final void add(QueueRequest request) {
        buffer.add(request);
        if (buffer.size() >= settings.batchSize() || request.endOfBurst()) {
            flush();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + settings.batchTimeoutMillis(), time -> {
                timerPending = false;
                flush();
            });
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void close() throws Exception {
        try {
            if (scorer != null) {
                scorer.close();
            }
        } finally {
            super.close();
        }
    }

    /** Scores and emits whatever is buffered. */
    protected final void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<QueueRequest> batch = buffer;
        buffer = new ArrayList<>(settings.batchSize());
        long start = System.nanoTime();
        List<QueueResult> results = scorer.score(batch);
        batchMillis.update((System.nanoTime() - start) / 1_000_000);
        batchSizes.update(batch.size());
        records.inc(batch.size());
        for (QueueResult r : results) {
            Counter[] counters = perModel.computeIfAbsent(r.model() == null ? "unknown" : r.model(), name -> {
                MetricGroup g = metrics.addGroup("model", name);
                return new Counter[] {g.counter("records"), g.counter("errors")};
            });
            counters[0].inc();
            if (r.isError()) {
                errors.inc();
                counters[1].inc();
            }
        }
        output.collect(new StreamRecord<>(ResultBatch.of(results)));
    }
}
