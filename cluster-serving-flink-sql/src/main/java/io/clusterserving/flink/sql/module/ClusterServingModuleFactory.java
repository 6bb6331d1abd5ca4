package io.clusterserving.flink.sql.module;

import io.clusterserving.flink.sql.session.ModelSessionSettings;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

import java.time.Duration;
import java.util.Set;

/**
 * {@code LOAD MODULE `cluster-serving` [WITH (...)]}, the seed's spelling; {@link UnderscoreModuleFactory}
 * answers {@code cluster_serving}, which needs no backquotes.
 */
public class ClusterServingModuleFactory implements ModuleFactory {
    public static final String IDENTIFIER = "cluster-serving";

    public static final ConfigOption<String> MODEL_PATH = ConfigOptions.key("model-path").stringType().noDefaultValue()
            .withDescription("Model directory (version subdirectories, one version's files, or a repository of models). Takes "
                    + "precedence over the 'modelPath' global job parameter.");
    public static final ConfigOption<String> MODEL_NAME = ConfigOptions.key("model-name").stringType().noDefaultValue()
            .withDescription("Name the model is served under (in a repository of several: the model to serve); default: the "
                    + "directory's name.");
    public static final ConfigOption<String> SIGNATURE = ConfigOptions.key("signature").stringType().noDefaultValue()
            .withDescription("Signature to call; default serving_default.");
    public static final ConfigOption<Integer> INTRA_OP_THREADS = ConfigOptions.key("intra-op-threads").intType()
            .defaultValue(ModelSessionSettings.DEFAULT_INTRA_OP_THREADS)
            .withDescription("Native threads per inference in each task.");
    public static final ConfigOption<Duration> LOAD_TIMEOUT = ConfigOptions.key("load-timeout").durationType()
            .defaultValue(ModelSessionSettings.DEFAULT_LOAD_TIMEOUT)
            .withDescription("How long a task waits for its model to load.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(MODEL_PATH, MODEL_NAME, SIGNATURE, INTRA_OP_THREADS, LOAD_TIMEOUT);
    }

    @Override
    public Module createModule(Context context) {
        FactoryUtil.ModuleFactoryHelper helper = FactoryUtil.createModuleFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        return new ClusterServingModule(new ModelSessionSettings(options.get(MODEL_PATH), options.get(MODEL_NAME),
                options.get(SIGNATURE), options.get(INTRA_OP_THREADS), options.get(LOAD_TIMEOUT)));
    }

    /** The same module under {@code cluster_serving}. */
    public static final class UnderscoreModuleFactory extends ClusterServingModuleFactory {
        public static final String IDENTIFIER = "cluster_serving";

        @Override
        public String factoryIdentifier() {
            return IDENTIFIER;
        }
    }
}
