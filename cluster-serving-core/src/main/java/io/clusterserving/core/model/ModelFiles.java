package io.clusterserving.core.model;

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
}
