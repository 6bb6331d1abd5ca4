package io.clusterserving.core.batching;

import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.tensor.Tensor;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one model version, with TF Serving's parameters and semantics.
 *
 * <ul>
 *   <li>Requests with the same {@link BatchKey} join an open batch; others never share one.</li>
 *   <li>A batch is cut when it holds {@code max_batch_size} rows, or when its oldest request has waited
 *       {@code batch_timeout_micros} and a batch thread is free. While every thread is busy an overdue
 *       batch keeps accepting rows: nobody could run it sooner, and a bigger batch drains the queue faster.</li>
 *   <li>The queue holds at most {@code max_enqueued_batches} batches (open ones included, running ones
 *       not); a request that would need one more fails at once with RESOURCE_EXHAUSTED.</li>
 *   <li>With {@code allowed_batch_sizes}, a batch is padded (its last row repeated) up to the next allowed
 *       size; the padding rows are sliced off the outputs.</li>
 *   <li>A batch runs, is split and fails by {@link BatchRun}'s rules: if a batch of several requests fails
 *       with INVALID_ARGUMENT, only the request the runtime rejects fails.</li>
 * </ul>
 *
 * {@link #close()} stops accepting requests and finishes every request queued before it.
 */
public final class Batcher implements AutoCloseable {

    private final String description;
    private final LoadedModel model;
    private final int maxBatchSize;
    private final int maxEnqueuedBatches;
    private final long timeoutNanos;
    private final int[] allowedSizes;
    private final Timer queueLatency;
    private final DistributionSummary batchSize;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private final LinkedHashMap<BatchKey, Batch> open = new LinkedHashMap<>(); // oldest first
    private boolean closed;
    private final List<Thread> workers = new ArrayList<>();

    /**
     * @param queueLatency records each request's wait from submit to the start of its batch
     * @param batchSize    records the rows of each processed batch, padding included (TF's processed size)
     */
    public Batcher(String modelName, long version, LoadedModel model, BatchingParameters params,
                   Timer queueLatency, DistributionSummary batchSize) {
        this.description = "model '" + modelName + "' version " + version;
        this.model = model;
        this.maxBatchSize = params.maxBatchSize();
        this.maxEnqueuedBatches = Math.max(1, params.maxEnqueuedBatches());
        this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0, params.batchTimeoutMicros()));
        this.allowedSizes = params.allowedBatchSizes().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.queueLatency = queueLatency;
        this.batchSize = batchSize;
        if (maxBatchSize < 1) {
            throw ServingException.invalidArgument("max_batch_size must be > 0, got %d", maxBatchSize);
        }
        int threads = Math.max(1, params.numBatchThreads());
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::workLoop, "batch-" + modelName + "-v" + version + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Queues a request whose inputs were already validated against {@code signature} and agree on
     * {@code rows} along dimension 0. The future completes with this request's outputs, or fails with a
     * ServingException: INVALID_ARGUMENT when it has more rows than max_batch_size, RESOURCE_EXHAUSTED
     * (already completed on return) when the queue is full, UNAVAILABLE after {@link #close()}.
     */
    public CompletableFuture<Map<String, Tensor>> submit(String signatureName, Signature signature,
                                                         Map<String, Tensor> inputs, Set<String> outputFilter,
                                                         long rows) {
        if (rows > maxBatchSize) {
            return CompletableFuture.failedFuture(ServingException.invalidArgument(
                    "request has %d rows, more than max_batch_size %d of %s", rows, maxBatchSize, description));
        }
        Task task = new Task(inputs, rows, System.nanoTime());
        BatchKey key = BatchKey.of(signatureName, signature, outputFilter, inputs);
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(ServingException.unavailable("%s is shutting down", description));
            }
            Batch batch = open.get(key);
            if (batch != null && batch.rows + rows > maxBatchSize) {
                if (ready.size() + open.size() >= maxEnqueuedBatches) {
                    return full();
                }
                open.remove(key);
                ready.add(batch);
                work.signal();
                batch = null;
            }
            if (batch == null) {
                if (ready.size() + open.size() >= maxEnqueuedBatches) {
                    return full();
                }
                batch = new Batch(key, signatureName, outputFilter, task.enqueuedNanos);
                open.put(key, batch);
                work.signal(); // an idle thread takes it at once (timeout 0) or times its deadline
            }
            batch.tasks.add(task);
            batch.rows += rows;
            if (batch.rows >= maxBatchSize) {
                open.remove(key);
                ready.add(batch);
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return task.future;
    }

    private CompletableFuture<Map<String, Tensor>> full() {
        return CompletableFuture.failedFuture(ServingException.resourceExhausted(
                "batch queue of %s is full (%d batches); retry later", description, maxEnqueuedBatches));
    }

    /** Stops accepting requests, runs every queued one, then stops the batch threads. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            if (t == Thread.currentThread()) {
                continue;
            }
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void workLoop() {
        for (;;) {
            Batch batch = nextBatch();
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** Blocks until a batch is due; null once closed and drained. */
    private Batch nextBatch() {
        lock.lock();
        try {
            for (;;) {
                Batch batch = ready.poll();
                if (batch != null) {
                    wakeAnotherIfWorkRemains();
                    return batch;
                }
                if (!open.isEmpty()) {
                    Iterator<Batch> oldest = open.values().iterator();
                    Batch first = oldest.next();
                    long wait = closed ? 0 : first.createdNanos + timeoutNanos - System.nanoTime();
                    if (wait <= 0) {
                        oldest.remove();
                        wakeAnotherIfWorkRemains();
                        return first;
                    }
                    awaitNanos(wait);
                } else if (closed) {
                    return null;
                } else {
                    work.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A thread leaving with a batch passes the baton: otherwise an idle thread could sleep on while an
     * open batch's deadline passes unwatched. Signalling with no one waiting costs next to nothing.
     */
    private void wakeAnotherIfWorkRemains() {
        if (!ready.isEmpty() || !open.isEmpty()) {
            work.signal();
        }
    }

    private void awaitNanos(long nanos) {
        try {
            work.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // Batch threads stop only through close(), which drains first.
        }
    }

    private void run(Batch batch) {
        long start = System.nanoTime();
        List<Task> tasks = batch.tasks;
        for (int i = 0; i < tasks.size(); i++) {
            queueLatency.record(start - tasks.get(i).enqueuedNanos, TimeUnit.NANOSECONDS);
        }
        batchSize.record(BatchRun.paddedSize(batch.rows, allowedSizes));
        BatchRun.run(description, model, batch.signatureName, batch.outputFilter, tasks, batch.rows, allowedSizes);
    }

    private static final class Task implements BatchRun.Part {
        final Map<String, Tensor> inputs;
        final long rows;
        final long enqueuedNanos;
        final CompletableFuture<Map<String, Tensor>> future = new CompletableFuture<>();

        Task(Map<String, Tensor> inputs, long rows, long enqueuedNanos) {
            this.inputs = inputs;
            this.rows = rows;
            this.enqueuedNanos = enqueuedNanos;
        }

        @Override
        public Map<String, Tensor> inputs() {
            return inputs;
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public void complete(Map<String, Tensor> outputs) {
            future.complete(outputs);
        }

        @Override
        public void fail(ServingException error) {
            future.completeExceptionally(error);
        }
    }

    private static final class Batch {
        final BatchKey key;
        final String signatureName;
        final Set<String> outputFilter;
        final long createdNanos;
        final List<Task> tasks = new ArrayList<>();
        long rows;

        Batch(BatchKey key, String signatureName, Set<String> outputFilter, long createdNanos) {
            this.key = key;
            this.signatureName = signatureName;
            this.outputFilter = outputFilter;
            this.createdNanos = createdNanos;
        }
    }
}
