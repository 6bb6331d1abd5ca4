package io.clusterserving.core.batching;

import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.Tensor;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one model version, with TF Serving's parameters and semantics.
 *
 * <ul>
 *   <li>Requests with the same signature and output filter (and, for signatures with free inner
 *       dimensions, the same inner shape) join an open batch; others never share one.</li>
 *   <li>A batch is cut when it holds {@code max_batch_size} rows, or when its oldest request has waited
 *       {@code batch_timeout_micros} and a batch thread is free. While every thread is busy an overdue
 *       batch keeps accepting rows: nobody could run it sooner, and a bigger batch drains the queue faster.</li>
 *   <li>The queue holds at most {@code max_enqueued_batches} batches (open ones included, running ones
 *       not); a request that would need one more fails at once with RESOURCE_EXHAUSTED.</li>
 *   <li>With {@code allowed_batch_sizes}, a batch is padded (its last row repeated) up to the next allowed
 *       size; the padding rows are sliced off the outputs.</li>
 *   <li>If a batch of several requests fails with INVALID_ARGUMENT, its requests are run again one by one,
 *       so only the request the runtime rejects fails and its batch-mates still get answers.</li>
 * </ul>
 *
 * {@link #close()} stops accepting requests and finishes every request queued before it.
 */
public final class Batcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

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
    private final ConcurrentHashMap<String, Boolean> freeInnerDims =
            new ConcurrentHashMap<>();

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
        BatchKey key = new BatchKey(signatureName, outputFilter, innerShapes(signatureName, signature, inputs));
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
        long padTo = paddedSize(batch.rows);
        batchSize.record(padTo);
        try {
            runTogether(batch.signatureName, batch.outputFilter, tasks, batch.rows, padTo);
        } catch (Throwable e) {
            ServingException error = ServingException.from(e);
            if (tasks.size() > 1 && error.code() == StatusCode.INVALID_ARGUMENT) {
                log.debug("batch of {} requests for {} failed ({}); running them one by one",
                        tasks.size(), description, error.getMessage());
                for (Task task : tasks) {
                    try {
                        runTogether(batch.signatureName, batch.outputFilter, List.of(task), task.rows,
                                paddedSize(task.rows));
                    } catch (Throwable single) {
                        task.future.completeExceptionally(ServingException.from(single));
                    }
                }
            } else {
                for (Task task : tasks) {
                    task.future.completeExceptionally(error);
                }
            }
        }
    }

    /** Runs tasks as one batch and completes their futures; throws (completing nothing) on failure. */
    private void runTogether(String signatureName, Set<String> outputFilter, List<Task> tasks, long rows,
                             long padTo) {
        if (tasks.size() == 1 && padTo == rows) {
            Task only = tasks.get(0);
            only.future.complete(model.predict(signatureName, only.inputs, outputFilter));
            return;
        }
        Map<String, Tensor> merged = new LinkedHashMap<>();
        List<Tensor> parts = new ArrayList<>(tasks.size());
        for (String name : tasks.get(0).inputs.keySet()) {
            parts.clear();
            for (Task task : tasks) {
                Tensor part = task.inputs.get(name);
                if (part == null) {
                    throw ServingException.invalidArgument("input '%s' is missing from a batched request", name);
                }
                parts.add(part);
            }
            merged.put(name, Tensor.concatRows(parts, padTo));
        }
        Map<String, Tensor> outputs = model.predict(signatureName, merged, outputFilter);
        for (Map.Entry<String, Tensor> out : outputs.entrySet()) {
            Tensor t = out.getValue();
            if (t.rank() == 0 || t.dim(0) != padTo) {
                throw ServingException.internal(String.format(
                        "%s: output '%s' of a batch of %d rows has shape %s; cannot split it per request",
                        description, out.getKey(), padTo, Arrays.toString(t.shape())), null);
            }
        }
        List<Map<String, Tensor>> split = new ArrayList<>(tasks.size());
        long offset = 0;
        for (Task task : tasks) {
            Map<String, Tensor> mine = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> out : outputs.entrySet()) {
                mine.put(out.getKey(), out.getValue().sliceRows(offset, offset + task.rows));
            }
            split.add(mine);
            offset += task.rows;
        }
        for (int i = 0; i < tasks.size(); i++) {
            tasks.get(i).future.complete(split.get(i));
        }
    }

    private long paddedSize(long rows) {
        if (rows == 0) {
            return 0;
        }
        for (int size : allowedSizes) {
            if (size >= rows) {
                return size;
            }
        }
        return rows;
    }

    /**
     * For signatures with free dimensions beyond the first (or unknown rank), requests only batch with
     * requests of the same inner shape; null (the common case) when dim 0 is the only free one.
     */
    private String innerShapes(String signatureName, Signature signature, Map<String, Tensor> inputs) {
        if (signature == null
                || !freeInnerDims.computeIfAbsent(signatureName, n -> hasFreeInnerDims(signature))) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (TensorSpec spec : signature.inputs()) {
            Tensor t = inputs.get(spec.name());
            key.append(spec.name()).append(':');
            if (t != null) {
                for (int d = 1; d < t.rank(); d++) {
                    key.append(t.dim(d)).append(',');
                }
            }
            key.append(';');
        }
        return key.toString();
    }

    private static boolean hasFreeInnerDims(Signature signature) {
        return signature.inputs().stream().anyMatch(TensorSpec::hasFreeInnerDims);
    }

    private record BatchKey(String signature, Set<String> outputFilter, String innerShapes) {
    }

    private static final class Task {
        final Map<String, Tensor> inputs;
        final long rows;
        final long enqueuedNanos;
        final CompletableFuture<Map<String, Tensor>> future = new CompletableFuture<>();

        Task(Map<String, Tensor> inputs, long rows, long enqueuedNanos) {
            this.inputs = inputs;
            this.rows = rows;
            this.enqueuedNanos = enqueuedNanos;
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
