package io.clusterserving.flink.sql.provider;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;

/** ML_PREDICT's synchronous function: one inference per row on the task thread. */
public final class ServingPredictFunction extends PredictFunction {
    private static final Logger LOG = LoggerFactory.getLogger(ServingPredictFunction.class);

    private final ProviderSettings settings;
    private transient RowScorer scorer;

    public ServingPredictFunction(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(FunctionContext context) {
        scorer = RowScorer.open(settings);
        LOG.info("ML_PREDICT with model {} runs synchronously in subtask {}", settings.catalogName(),
                context.getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public Collection<RowData> predict(RowData input) {
        return List.of(scorer.score(scorer.inputs(input)));
    }

    @Override
    public void close() {
        if (scorer != null) {
            scorer.close();
            scorer = null;
        }
    }
}
