package io.clusterserving.flink.sql.provider;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.flink.sql.session.ModelSession;
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
    private transient ModelSession session;
    private transient ColumnTensorMapping mapping;
    private transient ExecutorService inferenceThreads;

    public AsyncServingPredictFunction(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(FunctionContext context) {
        session = ModelSession.open(settings.model());
        try {
            mapping = ColumnTensorMapping.map(settings.catalogName(), session.signature(), settings.inputs(), settings.outputs());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
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
            tensors = mapping.toTensors(input); // now: the operator may reuse the row object
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(describe(e));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return List.of(mapping.toRow(session.predict(tensors)));
            } catch (RuntimeException e) {
                throw describe(e);
            }
        }, inferenceThreads);
    }

    @Override
    public void close() {
        if (inferenceThreads != null) {
            inferenceThreads.shutdown();
            inferenceThreads = null;
        }
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private ServingException describe(RuntimeException e) {
        ServingException error = ServingException.from(e);
        return new ServingException(error.code(), "ML_PREDICT with model " + settings.catalogName() + " failed: "
                + error.getMessage(), e);
    }
}
