package io.clusterserving.core.repository;

import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;

import java.nio.file.Path;
import java.util.List;

/**
 * The format chosen for a version directory and the files of that format in it — what
 * {@link ModelFormat#load} is given.
 *
 * @param format the format that will load the directory
 * @param found  its candidate files (exactly one when detected, possibly several under an explicit format)
 */
public record FormatSelection(ModelFormat format, ModelFiles found) {
    /** The candidate files. */
    public List<Path> files() {
        return found.files();
    }
}
