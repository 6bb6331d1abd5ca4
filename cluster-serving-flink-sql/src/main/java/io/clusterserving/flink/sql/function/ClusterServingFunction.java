package io.clusterserving.flink.sql.function;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.flink.sql.session.DataColumnText;
import io.clusterserving.flink.sql.session.ModelSession;
import io.clusterserving.flink.sql.session.ModelSessionSettings;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;

/**
 * {@code cluster_serving(uri, data)}: scores {@code data} (numbers separated by spaces or commas) with the
 * model of the {@code model-path} module option, else of the {@code modelPath} global job parameter, and
 * returns {@code ROW<output STRING, size STRING>}: the first output's values comma-separated, and how many
 * there are (the seed's result table). A row that cannot be scored gives {@code output = "ERROR: ..."} and
 * {@code size = "0"}; the job goes on.
 *
 * <p>The model is loaded once per task in {@link #open} and used by every row of that task.
 */
public final class ClusterServingFunction extends ScalarFunction {
    /** The global job parameter the seed's job sets through {@code pipeline.global-job-parameters}. */
    public static final String MODEL_PATH_PARAMETER = "modelPath";
    public static final String ERROR_PREFIX = "ERROR: ";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterServingFunction.class);

    private final ModelSessionSettings settings;
    private transient ModelSession session;
    private transient TensorSpec input;
    private transient String outputName;
    private transient Counter scored;
    private transient Counter failed;
    private transient int subtask;

    public ClusterServingFunction(ModelSessionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(FunctionContext context) {
        String path = settings.modelPath() != null ? settings.modelPath()
                : context.getJobParameter(MODEL_PATH_PARAMETER, null);
        if (path == null || path.isBlank()) {
            throw ServingException.invalidArgument("cluster_serving has no model: set the global job parameter "
                    + "'modelPath' (SET 'pipeline.global-job-parameters' = 'modelPath:/models/m') or "
                    + "LOAD MODULE cluster_serving WITH ('model-path' = '/models/m')");
        }
        session = ModelSession.open(settings.withModelPath(path));
        Signature signature = session.signature();
        if (signature.inputs().size() != 1) {
            session.close();
            throw ServingException.invalidArgument("cluster_serving feeds one input, but model '%s' signature '%s' has "
                    + "%d: %s (use CREATE MODEL + ML_PREDICT for several inputs)", session.modelName(),
                    signature.name(), signature.inputs().size(), signature.inputs());
        }
        scored = context.getMetricGroup().counter("clusterServingRows");
        failed = context.getMetricGroup().counter("clusterServingErrors");
        subtask = context.getTaskInfo().getIndexOfThisSubtask();
        input = signature.inputs().get(0);
        outputName = signature.outputs().isEmpty() ? null : signature.outputs().get(0).name();
    }

    @DataTypeHint("ROW<output STRING, size STRING>")
    public Row eval(String uri, String data) {
        try {
            Tensor tensor = DataColumnText.toTensor(input, DataColumnText.parse(data));
            Map<String, Tensor> outputs = session.predict(Map.of(input.name(), tensor));
            Tensor out = outputName != null && outputs.containsKey(outputName) ? outputs.get(outputName) : first(outputs);
            scored.inc();
            return Row.of(DataColumnText.format(out), Long.toString(out.elementCount()));
        } catch (RuntimeException e) {
            failed.inc();
            ServingException error = ServingException.from(e);
            String where = uri == null ? "" : " (uri " + uri + ")";
            return Row.of(ERROR_PREFIX + error.code() + ": " + error.getMessage() + where, "0");
        }
    }

    @Override
    public void close() {
        if (session != null) {
            LOG.info("cluster_serving in subtask {} scored {} rows ({} errors) with model '{}'", subtask,
                    scored.getCount() + failed.getCount(), failed.getCount(), session.modelName());
            session.close();
            session = null;
        }
    }

    /**
     * Declared non-deterministic so the planner never copies the call: a deterministic call would be inlined
     * into every field access of {@code SELECT r.output, r.size FROM (SELECT cluster_serving(...) AS r ...)},
     * running the model once per selected field. Also keeps a reloaded model from
     * being constant-folded at planning time.
     */
    @Override
    public boolean isDeterministic() {
        return false;
    }

    private static Tensor first(Map<String, Tensor> outputs) {
        Iterator<Tensor> it = outputs.values().iterator();
        if (!it.hasNext()) {
            throw ServingException.internal("the model returned no outputs", null);
        }
        return it.next();
    }
}
