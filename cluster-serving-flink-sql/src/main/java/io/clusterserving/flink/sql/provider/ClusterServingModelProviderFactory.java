package io.clusterserving.flink.sql.provider;

import io.clusterserving.flink.sql.module.ClusterServingModuleFactory;
import io.clusterserving.flink.sql.session.ModelSessionSettings;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;

import java.util.Set;

/**
 * {@code CREATE MODEL m INPUT (...) OUTPUT (...) WITH ('provider' = 'cluster-serving', 'model-path' = ...)}:
 * any model the core serves, scored by ML_PREDICT in each task.
 */
public final class ClusterServingModelProviderFactory implements ModelProviderFactory {
    public static final String IDENTIFIER = "cluster-serving";

    public static final ConfigOption<String> MODEL_PATH = ConfigOptions.key("model-path").stringType().noDefaultValue()
            .withDescription("Model directory (version subdirectories, or one version's files).");
    public static final ConfigOption<Boolean> ASYNC = ConfigOptions.key("async").booleanType().noDefaultValue()
            .withDescription("true: asynchronous function only; false: synchronous only; unset: both, and "
                    + "ML_PREDICT's MAP['async', ...] chooses.");
    public static final ConfigOption<Integer> ASYNC_THREADS = ConfigOptions.key("async-threads").intType()
            .defaultValue(2).withDescription("Inference threads of the asynchronous function, per task.");
    /** Flink's own model option; accepted so models written for other providers keep it. */
    public static final ConfigOption<String> TASK = ConfigOptions.key("task").stringType().noDefaultValue()
            .withDescription("Informational (regression, classification, ...).");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(MODEL_PATH);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(ClusterServingModuleFactory.MODEL_NAME, ClusterServingModuleFactory.SIGNATURE,
                ClusterServingModuleFactory.INTRA_OP_THREADS, ClusterServingModuleFactory.LOAD_TIMEOUT, ASYNC,
                ASYNC_THREADS, TASK);
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        ResolvedCatalogModel model = context.getCatalogModel();
        ModelSessionSettings modelSettings = new ModelSessionSettings(options.get(MODEL_PATH),
                options.get(ClusterServingModuleFactory.MODEL_NAME), options.get(ClusterServingModuleFactory.SIGNATURE),
                options.get(ClusterServingModuleFactory.INTRA_OP_THREADS),
                options.get(ClusterServingModuleFactory.LOAD_TIMEOUT));
        ProviderSettings settings = new ProviderSettings(context.getObjectIdentifier().asSummaryString(), modelSettings,
                ModelColumns.of(model.getResolvedInputSchema()), ModelColumns.of(model.getResolvedOutputSchema()),
                options.get(ASYNC_THREADS));
        return ClusterServingModelProviders.create(settings, options.getOptional(ASYNC).orElse(null));
    }
}
