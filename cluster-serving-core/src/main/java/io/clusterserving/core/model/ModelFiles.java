package io.clusterserving.core.model;

import io.clusterserving.core.error.ServingException;

import java.nio.file.Path;
import java.util.List;

/**
 * What a format is given to load: the version directory and the files of that format found in it when
 * the directory was listed for format selection, so the format need not list it again.
 *
 * @param versionDir the version directory
 * @param files      the format's {@link ModelFormat#candidates candidates} there, sorted; a format refuses
 *                   an empty list, and several when it cannot tell which one to load
 */
public record ModelFiles(Path versionDir, List<Path> files) {
    public ModelFiles {
        files = List.copyOf(files);
    }

    /** Lists {@code versionDir} and takes {@code format}'s candidates in it (for tools and tests). */
    public static ModelFiles find(ModelFormat format, Path versionDir) {
        return new ModelFiles(versionDir, format.candidates(VersionListing.of(versionDir)));
    }

    /** The file names, for messages. */
    public List<String> names() {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    /**
     * The one file to load, for a format that loads a single file: the only candidate, else the one
     * named {@code defaultName} among several.
     *
     * @param kind what one file is, for messages (e.g. {@code ".onnx file"})
     * @param kinds what several are
     * @throws ServingException NOT_FOUND when there is none; INVALID_ARGUMENT when there are several
     *                          and none is named {@code defaultName}
     */
    public Path single(String defaultName, String kind, String kinds) {
        if (files.size() == 1) {
            return files.get(0);
        }
        if (files.isEmpty()) {
            throw ServingException.notFound("no %s in %s", kind, versionDir);
        }
        Path preferred = versionDir.resolve(defaultName);
        if (files.contains(preferred)) {
            return preferred;
        }
        throw ServingException.invalidArgument("%s holds several %s %s and no %s; keep one or name it %s",
                versionDir, kinds, names(), defaultName, defaultName);
    }
}
