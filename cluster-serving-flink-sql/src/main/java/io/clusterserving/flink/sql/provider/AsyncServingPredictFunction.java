package io.clusterserving.flink.sql.provider;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.tensor.Tensor;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ML_PREDICT's asynchronous function: rows are read on the task thread, inferences run on a small pool of
 * this task's own (so several rows are in flight while the operator keeps reading, up to Flink's
 * 'max-concurrent-operations').
 */
public final class AsyncServingPredictFunction extends AsyncPredictFunction {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncServingPredictFunction.class);

    private final ProviderSettings settings;
    private transient RowScorer scorer;
    private transient ExecutorService inferenceThreads;

    public AsyncServingPredictFunction(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(FunctionContext context) {
        scorer = RowScorer.open(settings);
        AtomicInteger count = new AtomicInteger();
        String prefix = "cluster-serving-predict-" + context.getTaskInfo().getIndexOfThisSubtask() + "-";
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        inferenceThreads = Executors.newFixedThreadPool(Math.max(1, settings.asyncThreads()), threads);
        LOG.info("ML_PREDICT with model {} runs asynchronously in subtask {} on {} threads", settings.catalogName(),
                context.getTaskInfo().getIndexOfThisSubtask(), Math.max(1, settings.asyncThreads()));
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
        Map<String, Tensor> tensors;
        try {
            tensors = scorer.inputs(input); // on the task thread: the operator may reuse the row object
        } catch (ServingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> List.of(scorer.score(tensors)), inferenceThreads);
    }

    @Override
    public void close() {
        if (inferenceThreads != null) {
            inferenceThreads.shutdown();
            inferenceThreads = null;
        }
        if (scorer != null) {
            scorer.close();
            scorer = null;
        }
    }
}
