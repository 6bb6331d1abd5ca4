package io.clusterserving.flink.sql.provider;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.flink.sql.session.ModelSession;
import org.apache.flink.table.data.RowData;

import java.util.Map;

/**
 * What an ML_PREDICT function scores rows with: the model's session and the mapping between the
 * table's columns and the signature's tensors. The synchronous and the asynchronous function both
 * go through it, so they map rows and describe failures alike.
 */
final class RowScorer implements AutoCloseable {
    private final String catalogName;
    private final ModelSession session;
    private final ColumnTensorMapping mapping;

    private RowScorer(String catalogName, ModelSession session, ColumnTensorMapping mapping) {
        this.catalogName = catalogName;
        this.session = session;
        this.mapping = mapping;
    }

    /** Opens the model's session and maps the provider's columns onto its signature (closing it if they do not fit). */
    static RowScorer open(ProviderSettings settings) {
        ModelSession session = ModelSession.open(settings.model());
        try {
            return new RowScorer(settings.catalogName(), session, ColumnTensorMapping.map(settings.catalogName(),
                    session.signature(), settings.inputs(), settings.outputs()));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The row's input columns as tensors, read at once: the operator may reuse the row object. */
    Map<String, Tensor> inputs(RowData row) {
        try {
            return mapping.toTensors(row);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** One inference: the output row for {@code inputs}. */
    RowData score(Map<String, Tensor> inputs) {
        try {
            return mapping.toRow(session.predict(inputs));
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    private ServingException failure(RuntimeException e) {
        ServingException error = ServingException.from(e);
        return new ServingException(error.code(), "ML_PREDICT with model " + catalogName + " failed: "
                + error.getMessage(), e);
    }

    @Override
    public void close() {
        session.close();
    }
}
