package io.clusterserving.core.model;

import io.clusterserving.core.error.ServingException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A version directory listed once, with what format selection, loading and change detection need of
 * each entry. Every format is asked for its {@link ModelFormat#candidates candidates} in the same listing,
 * so a load reads the directory once however many formats are installed.
 *
 * @param dir       the version directory
 * @param exists    false when the directory was missing (or not a directory); then there are no entries
 * @param modified  the directory's own modification time in milliseconds (0 when missing)
 * @param entries   its direct entries, sorted by name
 */
public record VersionListing(Path dir, boolean exists, long modified, List<Entry> entries) {
    /** Directory listings in error messages are cut after this many names. */
    public static final int MAX_DESCRIBED_ENTRIES = 20;

    /**
     * One direct entry of the directory.
     *
     * @param modified modification time in milliseconds
     */
    public record Entry(Path path, String name, boolean regularFile, boolean directory, long size, long modified) {
    }

    public VersionListing {
        entries = List.copyOf(entries);
    }

    /**
     * Lists {@code dir}. A missing directory gives an empty listing (formats find nothing in it).
     *
     * @throws ServingException INTERNAL when the directory exists but cannot be read
     */
    public static VersionListing of(Path dir) {
        List<Entry> entries = new ArrayList<>();
        long modified;
        try {
            modified = Files.getLastModifiedTime(dir).toMillis();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path path : stream) {
                    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                    entries.add(new Entry(path, path.getFileName().toString(), a.isRegularFile(), a.isDirectory(),
                            a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException missing) {
            return new VersionListing(dir, false, 0, List.of());
        } catch (IOException e) {
            throw ServingException.internal("cannot list version directory " + dir + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(Entry::name));
        return new VersionListing(dir, true, modified, entries);
    }

    /** The regular files whose names match, sorted by name. */
    public List<Path> files(Predicate<String> name) {
        List<Path> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.regularFile() && name.test(e.name())) {
                out.add(e.path());
            }
        }
        return out;
    }

    /** Whether a regular file of this name is in the directory. */
    public boolean hasFile(String name) {
        for (Entry e : entries) {
            if (e.regularFile() && e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A summary that changes when the directory is replaced or an entry is added, removed or rewritten
     * (its own modification time and every entry's name, size and modification time); -1 when missing.
     * A version that failed to load for good is tried again only once this changes.
     */
    public long fingerprint() {
        if (!exists) {
            return -1;
        }
        long h = modified;
        for (Entry e : entries) {
            long x = e.name().hashCode();
            x = 31 * x + e.modified();
            x = 31 * x + e.size();
            h = 31 * h + x;
        }
        return h;
    }

    /** The entry names for error messages ("saw [a.txt, sub/]"), sorted and capped. */
    public String describe() {
        if (!exists) {
            return "(directory does not exist)";
        }
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            if (names.size() == MAX_DESCRIBED_ENTRIES) {
                return "[" + String.join(", ", names) + ", ... and " + (entries.size() - MAX_DESCRIBED_ENTRIES)
                        + " more]";
            }
            names.add(e.name() + (e.directory() ? "/" : ""));
        }
        return names.toString();
    }
}
