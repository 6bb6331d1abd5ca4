package io.clusterserving.flink.sql.module;

import io.clusterserving.flink.sql.function.ClusterServingFunction;
import io.clusterserving.flink.sql.session.ModelSessionSettings;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What {@code LOAD MODULE cluster_serving} adds to SQL: the {@code cluster_serving(uri, data)} function. */
public final class ClusterServingModule implements Module {
    public static final String FUNCTION_NAME = "cluster_serving";

    private final ModelSessionSettings settings;

    public ClusterServingModule(ModelSessionSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> listFunctions() {
        return Set.of(FUNCTION_NAME);
    }

    @Override
    public Optional<FunctionDefinition> getFunctionDefinition(String name) {
        if (FUNCTION_NAME.equals(name.toLowerCase(Locale.ROOT))) {
            return Optional.of(new ClusterServingFunction(settings));
        }
        return Optional.empty();
    }
}
