package io.clusterserving.core.source;

import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.config.ModelYaml;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model.yaml of each model, parsed again only when the file changed: the source polls every second
 * or so, and an unchanged file needs no YAML parser. A change is seen through the file's size,
 * modification time and file key (inode where the file system has one), which both a rewrite in place
 * and a replace-by-rename alter. A malformed file's error is kept like good options, so it is reported
 * on every poll until the file changes; a file that could not be read is tried again next poll.
 */
final class ModelYamlCache {
    private record Stamp(long size, FileTime modified, Object fileKey) {
    }

    /** The options, or the error, parsed from the file as it was when stamped. */
    private record Parsed(Stamp stamp, ModelSettings options, ServingException error) {
    }

    private final Map<Path, Parsed> byBaseDir = new ConcurrentHashMap<>();
    private final AtomicLong parses = new AtomicLong();

    /**
     * The options of the model whose base directory is {@code baseDir}, as {@link ModelYaml#read} gives them.
     *
     * @throws ServingException as {@link ModelYaml#read} does
     */
    ModelSettings read(Path baseDir) {
        Path file = baseDir.resolve(ModelYaml.FILE_NAME);
        Stamp stamp = stampOf(file); // before reading: a change made during the read shows next time
        if (stamp == null) {
            byBaseDir.remove(baseDir);
            return ModelSettings.none();
        }
        Parsed cached = byBaseDir.get(baseDir);
        if (cached == null || !cached.stamp().equals(stamp)) {
            parses.incrementAndGet();
            try {
                cached = new Parsed(stamp, ModelYaml.read(baseDir), null);
            } catch (ServingException e) {
                if (e.code() == StatusCode.INTERNAL) {
                    byBaseDir.remove(baseDir);
                    throw e; // not read at all: nothing to keep
                }
                cached = new Parsed(stamp, null, e);
            }
            byBaseDir.put(baseDir, cached);
        }
        if (cached.error() != null) {
            throw cached.error();
        }
        return cached.options();
    }

    /** Forgets the models whose base directories are not listed. */
    void retainOnly(Collection<Path> baseDirs) {
        byBaseDir.keySet().retainAll(Set.copyOf(baseDirs));
    }

    /** How many times a file was parsed. */
    long parses() {
        return parses.get();
    }

    private static Stamp stampOf(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw ServingException.internal("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
