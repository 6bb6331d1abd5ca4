package io.clusterserving.pmml;

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
 * PMML through PMML4S (Apache-2.0). Per the repository contract a version directory holds a PMML model
 * when it has a regular file named {@code *.pmml}; exactly one such file is loaded. PMML4S evaluates on
 * the calling thread, so the context's thread counts do not apply.
 */
public final class PmmlFormat implements ModelFormat {
    static final String EXTENSION = ".pmml";

    @Override
    public String name() {
        return "pmml";
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        return listing.files(name -> name.endsWith(EXTENSION));
    }

    @Override
    public LoadedModel load(ModelFiles found, LoadContext context) throws IOException {
        Path versionDir = found.versionDir();
        List<Path> files = found.files();
        if (files.isEmpty()) {
            throw ServingException.notFound("no PMML model in %s: expected a file named *%s", versionDir, EXTENSION);
        }
        if (files.size() > 1) {
            throw ServingException.invalidArgument("several PMML files in %s: %s; keep one", versionDir,
                    found.names());
        }
        return PmmlModel.load(files.get(0));
    }
}
