package io.clusterserving.core.batching;

import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.core.testing.LinearFormat;
import io.clusterserving.core.testing.ModelDirs;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatcherTest {
    @TempDir
    Path dir;
    private final LinearFormat format = new LinearFormat();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Timer queueLatency = Timer.builder("q").register(registry);
    private final DistributionSummary batchSize = DistributionSummary.builder("b").register(registry);
    private LoadedModel model;
    private Signature signature;
    private Batcher batcher;

    @AfterEach
    void tearDown() {
        format.predictGate.countDown();
        if (batcher != null) {
            batcher.close();
        }
    }

    private Batcher batcher(String modelText, int maxBatch, long timeoutMicros, int maxEnqueued, int threads,
                            List<Integer> allowed) throws Exception {
        ModelDirs.writeVersion(dir, 1, modelText);
        model = format.load(ModelFiles.find(format, dir.resolve("1")), new LoadContext("m", 1, 1, 1, Map.of()));
        signature = model.signatures().get(Signature.DEFAULT_NAME);
        batcher = new Batcher("m", 1, model, new BatchingParameters(maxBatch, timeoutMicros, maxEnqueued, threads,
                allowed, false), queueLatency, batchSize);
        return batcher;
    }

    private CompletableFuture<Map<String, Tensor>> submit(float... x) {
        return batcher.submit(Signature.DEFAULT_NAME, signature, Map.of("x", Tensor.ofFloats(new long[]{x.length}, x)),
                Set.of(), x.length);
    }

    private static float[] y(CompletableFuture<Map<String, Tensor>> f) throws Exception {
        Tensor t = f.get(10, TimeUnit.SECONDS).get("y");
        float[] out = new float[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloat(i);
        }
        return out;
    }

    /** Blocks the only batch thread inside predict with a first request. */
    private CompletableFuture<Map<String, Tensor>> occupyTheBatchThread() throws Exception {
        format.predictGate = new CountDownLatch(1);
        CompletableFuture<Map<String, Tensor>> first = submit(100f);
        assertThat(format.atPredictGate.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void requestsQueuedWhileTheThreadIsBusyFormOneBatch() throws Exception {
        batcher("2 1 gated-predict", 10, 0, 10, 1, List.of());
        CompletableFuture<Map<String, Tensor>> first = occupyTheBatchThread();
        List<CompletableFuture<Map<String, Tensor>>> rest = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rest.add(submit(i, 10 * i));
        }
        format.predictGate.countDown();
        assertThat(y(first)).containsExactly(201f);
        for (int i = 0; i < 5; i++) {
            assertThat(y(rest.get(i))).containsExactly(2f * i + 1, 20f * i + 1);
        }
        assertThat(format.predictRows).containsExactly(1L, 10L);
        assertThat(batchSize.count()).isEqualTo(2);
        assertThat(batchSize.max()).isEqualTo(10);
        assertThat(queueLatency.count()).isEqualTo(6);
    }

    @Test
    void aFullBatchIsCutAtMaxBatchSize() throws Exception {
        batcher("1 0 gated-predict", 4, 0, 10, 1, List.of());
        CompletableFuture<Map<String, Tensor>> first = occupyTheBatchThread();
        List<CompletableFuture<Map<String, Tensor>>> rest = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rest.add(submit(i, i));
        }
        format.predictGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 6; i++) {
            assertThat(y(rest.get(i))).containsExactly(i, i);
        }
        assertThat(format.predictRows).containsExactly(1L, 4L, 4L, 4L);
    }

    @Test
    void theTimeoutCutsAPartialBatch() throws Exception {
        batcher("3 0", 100, 20_000, 10, 1, List.of());
        CompletableFuture<Map<String, Tensor>> a = submit(1f);
        CompletableFuture<Map<String, Tensor>> b = submit(2f, 3f);
        assertThat(y(a)).containsExactly(3f);
        assertThat(y(b)).containsExactly(6f, 9f);
        assertThat(format.predictRows.stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(format.predictRows).allSatisfy(rows -> assertThat(rows).isLessThan(100));
    }

    @Test
    void aFullQueueFailsAtOnceWithResourceExhausted() throws Exception {
        batcher("1 0 gated-predict", 1, 0, 1, 1, List.of());
        CompletableFuture<Map<String, Tensor>> running = occupyTheBatchThread();
        CompletableFuture<Map<String, Tensor>> queued = submit(1f);
        CompletableFuture<Map<String, Tensor>> rejected = submit(2f);
        assertThat(rejected).isCompletedExceptionally();
        assertThatThrownBy(rejected::join).cause().isInstanceOfSatisfying(ServingException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).isEqualTo("batch queue of model 'm' version 1 is full (1 batches); retry later");
        });
        format.predictGate.countDown();
        assertThat(y(running)).containsExactly(100f);
        assertThat(y(queued)).containsExactly(1f);
    }

    @Test
    void batchesArePaddedToAllowedSizesAndThePaddingIsStripped() throws Exception {
        batcher("2 0 gated-predict", 8, 0, 10, 1, List.of(2, 4, 8));
        CompletableFuture<Map<String, Tensor>> first = occupyTheBatchThread();
        CompletableFuture<Map<String, Tensor>> a = submit(1f, 2f);
        CompletableFuture<Map<String, Tensor>> b = submit(3f, 4f, 5f);
        format.predictGate.countDown();
        Map<String, Tensor> firstOut = first.get(10, TimeUnit.SECONDS);
        assertThat(firstOut.get("y").shape()).containsExactly(1); // padded to 2 for the model, 1 row back
        assertThat(y(a)).containsExactly(2f, 4f);
        assertThat(y(b)).containsExactly(6f, 8f, 10f);
        assertThat(format.predictRows).containsExactly(2L, 8L);
        assertThat(batchSize.max()).isEqualTo(8);
    }

    @Test
    void aRequestLargerThanMaxBatchSizeIsRejected() throws Exception {
        batcher("1 0", 2, 0, 10, 1, List.of());
        CompletableFuture<Map<String, Tensor>> f = submit(1f, 2f, 3f);
        assertThatThrownBy(f::join).cause().isInstanceOfSatisfying(ServingException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("3 rows").contains("max_batch_size 2");
        });
        assertThat(format.predictRows).isEmpty();
    }

    @Test
    void oneBadRequestDoesNotFailItsBatchMates() throws Exception {
        batcher("1 1 gated-predict", 10, 0, 10, 1, List.of());
        CompletableFuture<Map<String, Tensor>> first = occupyTheBatchThread();
        CompletableFuture<Map<String, Tensor>> good1 = submit(1f);
        CompletableFuture<Map<String, Tensor>> bad = submit(2f, Float.NaN);
        CompletableFuture<Map<String, Tensor>> good2 = submit(3f);
        format.predictGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(y(good1)).containsExactly(2f);
        assertThat(y(good2)).containsExactly(4f);
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("NaN");
                });
        // The batch of 4 rows failed, then each request ran alone.
        assertThat(format.predictRows).containsExactly(1L, 4L, 1L, 2L, 1L);
    }

    @Test
    void differentSignaturesAndOutputFiltersNeverShareABatch() throws Exception {
        batcher("1 0 gated-predict", 10, 0, 10, 1, List.of());
        Signature two = model.signatures().get("two");
        CompletableFuture<Map<String, Tensor>> first = occupyTheBatchThread();
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[]{1}, 5f));
        CompletableFuture<Map<String, Tensor>> plain = batcher.submit("serving_default", signature, in, Set.of(), 1);
        CompletableFuture<Map<String, Tensor>> both = batcher.submit("two", two, in, Set.of(), 1);
        CompletableFuture<Map<String, Tensor>> negOnly = batcher.submit("two", two, in, Set.of("neg"), 1);
        format.predictGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(plain.get(10, TimeUnit.SECONDS)).containsOnlyKeys("y");
        assertThat(both.get(10, TimeUnit.SECONDS)).containsOnlyKeys("neg", "y");
        assertThat(negOnly.get(10, TimeUnit.SECONDS)).containsOnlyKeys("neg");
        assertThat(format.predictRows).containsExactly(1L, 1L, 1L, 1L);
    }

    @Test
    void closeFinishesWhatWasQueued() throws Exception {
        batcher("1 0 gated-predict", 2, 10_000_000, 10, 1, List.of());
        format.predictGate = new CountDownLatch(1);
        CompletableFuture<Map<String, Tensor>> first = submit(1f, 2f); // a full batch: runs at once
        assertThat(format.atPredictGate.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Map<String, Tensor>> queued = submit(7f); // open batch, 10 s timeout
        Thread closer = new Thread(batcher::close);
        closer.start();
        format.predictGate.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(first).isCompleted();
        assertThat(y(queued)).containsExactly(7f); // its 10 s timeout did not hold it back
        CompletableFuture<Map<String, Tensor>> late = submit(1f);
        assertThatThrownBy(late::join).cause().isInstanceOfSatisfying(ServingException.class,
                e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    }
}
