package io.clusterserving.flink.modelstream;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.core.repository.VersionDirectories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One task's own model repository ({@code <root>/<model>/<version>/}, TF Serving layout), which the
 * core serves and polls. It starts as links to the versions under {@code modelPath}; each model
 * stream descriptor adds a version directory, written under a staging name and renamed into place
 * so the core never sees a half-written version. The core then loads it and switches to it only
 * once it is available, so the old version keeps serving until then.
 */
public final class LocalModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalModelRepository.class);

    private final Path root;
    private final Map<String, ModelConfig> models = new LinkedHashMap<>();
    private final String defaultModel;

    private LocalModelRepository(Path root, String defaultModel) {
        this.root = root;
        this.defaultModel = defaultModel;
    }

    /** Creates {@code root} and links every version of the seed's models into it. */
    public static LocalModelRepository create(Path root, ModelLocation seed) {
        try {
            Files.createDirectories(root);
            LocalModelRepository repo = new LocalModelRepository(root, seed.defaultModel());
            for (ModelConfig m : seed.models()) {
                Path base = Files.createDirectories(root.resolve(m.name()));
                for (long v : VersionDirectories.scan(m.basePath())) {
                    Path link = base.resolve(Long.toString(v));
                    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, m.basePath().resolve(Long.toString(v)).toAbsolutePath());
                    }
                }
                Path modelYaml = m.basePath().resolve("model.yaml");
                if (Files.exists(modelYaml) && !Files.exists(base.resolve("model.yaml"))) {
                    Files.createSymbolicLink(base.resolve("model.yaml"), modelYaml.toAbsolutePath());
                }
                repo.models.put(m.name(), m.withBasePath(base));
            }
            return repo;
        } catch (IOException e) {
            throw ServingException.internal("cannot create the task's model repository " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The models as the core should serve them (base paths inside this repository). */
    public ModelLocation location() {
        return ModelLocation.of(new ArrayList<>(models.values()), defaultModel);
    }

    /**
     * Installs {@code update} as {@code <root>/<name>/<version>}. Installing a version that is already
     * there does nothing (descriptors are replayed after restarts).
     *
     * @return true when a new version directory was installed
     */
    public boolean install(ModelUpdate update) {
        Path base = root.resolve(update.name());
        Path target = base.resolve(Long.toString(update.version()));
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            LOG.info("model stream: {} is already installed", update.key());
            return false;
        }
        Path staging = root.resolve(".staging-" + update.name() + "-" + update.version() + "-" + System.nanoTime());
        try {
            Files.createDirectories(base);
            if (update.data() != null) {
                Files.createDirectories(staging);
                Files.write(staging.resolve(update.dataFileName()), update.data());
            } else {
                Path source = Path.of(update.location()).toAbsolutePath();
                if (Files.isDirectory(source)) {
                    Files.createSymbolicLink(staging, source);
                } else if (Files.isRegularFile(source)) {
                    Files.createDirectories(staging);
                    Files.createSymbolicLink(staging.resolve(source.getFileName()), source);
                } else {
                    throw ServingException.notFound("model descriptor %s: location %s does not exist on this task "
                            + "manager", update.key(), source);
                }
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(staging);
            return false;
        } catch (IOException e) {
            deleteQuietly(staging);
            throw ServingException.internal("cannot install " + update + " into " + base + ": " + e.getMessage(), e);
        }
        models.computeIfAbsent(update.name(), n -> ModelConfig.of(n, base));
        LOG.info("model stream: installed {} as {}", update, target);
        return true;
    }

    /** Deletes the repository (links only, never what they point to). */
    @Override
    public void close() {
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Files.walk does not follow links, so a linked version directory is removed as a link.
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", path, e.getMessage());
        }
    }
}
