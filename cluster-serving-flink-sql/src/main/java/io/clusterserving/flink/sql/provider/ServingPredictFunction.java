package io.clusterserving.flink.sql.provider;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.flink.sql.session.ModelSession;
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
    private transient ModelSession session;
    private transient ColumnTensorMapping mapping;

    public ServingPredictFunction(ProviderSettings settings) {
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
        LOG.info("ML_PREDICT with model {} runs synchronously in subtask {}", settings.catalogName(),
                context.getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public Collection<RowData> predict(RowData input) {
        try {
            return List.of(mapping.toRow(session.predict(mapping.toTensors(input))));
        } catch (RuntimeException e) {
            ServingException error = ServingException.from(e);
            throw new ServingException(error.code(), "ML_PREDICT with model " + settings.catalogName() + " failed: "
                    + error.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
