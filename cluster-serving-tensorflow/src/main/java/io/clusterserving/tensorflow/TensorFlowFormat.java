package io.clusterserving.tensorflow;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.VersionListing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * TensorFlow models run by TensorFlow Java: a SavedModel ({@code saved_model.pb}, or the text form
 * {@code saved_model.pbtxt}, with {@code variables/} and {@code assets/}) or a frozen GraphDef
 * ({@code *.pb}) beside a {@code graph_meta.json} naming its inputs and outputs. A SavedModel wins when
 * both are present; several {@code *.pb} files beside one {@code graph_meta.json} are ambiguous.
 *
 * <p>TensorFlow Java extracts its native libraries (~650 MB) on first use into
 * {@code org.bytedeco.javacpp.cachedir} (default {@code ~/.javacpp/cache}); set it to keep them elsewhere.
 */
public final class TensorFlowFormat implements ModelFormat {
    public static final String NAME = "tensorflow";
    public static final String SAVED_MODEL_FILE = "saved_model.pb";
    public static final String SAVED_MODEL_TEXT_FILE = "saved_model.pbtxt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describePattern() {
        return SAVED_MODEL_FILE + " or *.pb with " + FrozenGraphLoader.META_FILE;
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        for (String name : List.of(SAVED_MODEL_FILE, SAVED_MODEL_TEXT_FILE)) {
            if (listing.hasFile(name)) {
                return List.of(listing.dir().resolve(name));
            }
        }
        if (!listing.hasFile(FrozenGraphLoader.META_FILE)) {
            return List.of();
        }
        return listing.files(name -> name.endsWith(".pb"));
    }

    @Override
    public LoadedModel load(ModelFiles found, LoadContext context) throws IOException {
        TensorFlowSettings settings = TensorFlowSettings.from(context);
        String description = "model '" + context.modelName() + "' version " + context.version();
        Path versionDir = found.versionDir();
        List<Path> files = found.files();
        if (files.isEmpty()) {
            throw ServingException.notFound("no TensorFlow model in %s: expected %s",
                    versionDir, describePattern());
        }
        String first = files.get(0).getFileName().toString();
        if (first.equals(SAVED_MODEL_FILE) || first.equals(SAVED_MODEL_TEXT_FILE)) {
            return SavedModelLoader.load(versionDir, description, settings);
        }
        if (files.size() > 1) {
            throw ServingException.invalidArgument(
                    "%s holds several frozen graphs %s beside %s; keep one", versionDir,
                    found.names(), FrozenGraphLoader.META_FILE);
        }
        return FrozenGraphLoader.load(files.get(0), description, settings);
    }
}
