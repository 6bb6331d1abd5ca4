package io.clusterserving.core.manager;

import io.clusterserving.core.batching.Batcher;
import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.repository.FormatSelection;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.stats.VersionStats;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One load attempt of one version, run with no lock held: chooses the format from the directory's one
 * listing, loads the copies model.yaml asks for, warms them up, and builds the version's signatures,
 * batcher and metrics. Whatever it opened is closed again when a later step fails.
 */
final class VersionLoader {
    private final FormatRegistry formats;
    private final ManagerSettings settings;
    private final MeterRegistry registry;

    VersionLoader(FormatRegistry formats, ManagerSettings settings, MeterRegistry registry) {
        this.formats = formats;
        this.settings = settings;
        this.registry = registry;
    }

    /**
     * Loads {@code v} from its listing; {@code formatChosen} hears the format's name before the slow part.
     * Reads only {@code v}'s identity, never its state.
     */
    LoadedVersion load(VersionHarness v, VersionListing listing, ModelConfig config, ModelSettings options,
                       Consumer<String> formatChosen) throws Exception {
        FormatSelection selection = formats.select(listing, formatOverride(config, options, listing));
        String formatName = selection.format().name();
        formatChosen.accept(formatName);
        LoadContext context = new LoadContext(v.model.name, v.version,
                options.intraOpThreads() > 0 ? options.intraOpThreads() : settings.intraOpThreads(),
                options.interOpThreads() > 0 ? options.interOpThreads() : settings.interOpThreads(),
                options.formatOptions());
        LoadedModel loaded = loadInstances(selection, context, Math.max(1, options.instances()));
        Batcher batcher = null;
        try {
            loaded.warmup();
            Map<String, Signature> signatures = loaded.signatures();
            if (signatures == null || signatures.isEmpty()) {
                throw ServingException.failedPrecondition("%s (%s) has no signatures", v.describe(), formatName);
            }
            Map<String, ServableSignature> servable = new LinkedHashMap<>();
            signatures.forEach((name, sig) ->
                    servable.put(name, new ServableSignature(name, sig, v.describe(), loaded.strictShapes())));
            VersionMetrics metrics = new VersionMetrics(registry, v.model.name, v.version);
            BatchingParameters batching = settings.batchingFor(options);
            if (batching != null) {
                batcher = new Batcher(v.model.name, v.version, loaded, batching, metrics.queueLatency(),
                        metrics.batchSize());
            }
            String description = options.description() != null && !options.description().isBlank()
                    ? options.description() : formatName + " model from " + v.dir;
            return new LoadedVersion(loaded, batcher, options, formatName, Map.copyOf(servable), metrics,
                    new VersionStats(), description);
        } catch (Exception | Error e) {
            LoadedVersion.closeQuietly(batcher, v.describe());
            LoadedVersion.closeQuietly(loaded, v.describe());
            throw e;
        }
    }

    private static LoadedModel loadInstances(FormatSelection selection, LoadContext context, int instances)
            throws Exception {
        ModelFormat format = selection.format();
        if (instances == 1) {
            return format.load(selection.found(), context);
        }
        List<LoadedModel> copies = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                copies.add(format.load(selection.found(), context));
            }
        } catch (Exception | Error e) {
            copies.forEach(c -> LoadedVersion.closeQuietly(c, "a model copy"));
            throw e;
        }
        return new InstancePool(copies);
    }

    /**
     * The explicit format: model.yaml's {@code format:}, else the config's platform when that format is
     * installed and finds a model in the directory (TF Serving configs often say "tensorflow" by habit;
     * detection decides then).
     */
    private String formatOverride(ModelConfig config, ModelSettings options, VersionListing listing) {
        if (options.format() != null && !options.format().isBlank()) {
            return options.format();
        }
        String platform = config.platform();
        if (platform == null || platform.isBlank()) {
            return null;
        }
        Optional<ModelFormat> format = formats.byName(platform);
        return format.isPresent() && FormatRegistry.recognises(format.get(), listing) ? platform : null;
    }
}
