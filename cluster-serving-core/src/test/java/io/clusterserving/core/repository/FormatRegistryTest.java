package io.clusterserving.core.repository;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.VersionListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatRegistryTest {

    /** A real (if trivial) format recognising files by suffix; it never loads anything. */
    private record SuffixFormat(String name, String suffix) implements ModelFormat {
        @Override
        public List<Path> candidates(VersionListing listing) {
            return listing.files(name -> name.endsWith(suffix));
        }

        @Override
        public LoadedModel load(ModelFiles files, LoadContext context) {
            throw new UnsupportedOperationException("format selection tests do not load");
        }
    }

    private static final ModelFormat ONNX = new SuffixFormat("onnx", ".onnx");
    private static final ModelFormat TORCH = new SuffixFormat("torchscript", ".pt");
    private final FormatRegistry registry = new FormatRegistry(List.of(ONNX, TORCH));

    @TempDir
    Path dir;

    private Path versionWith(String... files) throws IOException {
        Path v = Files.createDirectories(dir.resolve("1"));
        for (String f : files) {
            Files.writeString(v.resolve(f), "x");
        }
        return v;
    }

    @Test
    void namesAndLookupWithAliases() {
        assertThat(registry.names()).containsExactly("onnx", "torchscript");
        assertThat(registry.byName("ONNX")).containsSame(ONNX);
        assertThat(registry.byName("onnxruntime_onnx")).containsSame(ONNX);
        assertThat(registry.byName("pytorch_libtorch")).containsSame(TORCH);
        assertThat(registry.byName("pytorch")).containsSame(TORCH);
        assertThat(registry.byName("TorchScript")).containsSame(TORCH);
        assertThat(registry.byName("tensorflow")).isEmpty();
        assertThat(registry.byName(null)).isEmpty();
    }

    @Test
    void detectsTheOnlyCandidate() throws IOException {
        Path v = versionWith("model.onnx", "labels.txt");
        FormatSelection s = registry.select(v, null);
        assertThat(s.format()).isSameAs(ONNX);
        assertThat(s.files()).containsExactly(v.resolve("model.onnx"));
        assertThat(registry.select(v, " ").format()).isSameAs(ONNX);
    }

    @Test
    void overrideChoosesAmongSeveralFormats() throws IOException {
        Path v = versionWith("model.onnx", "model.pt");
        FormatSelection s = registry.select(v, "pytorch");
        assertThat(s.format()).isSameAs(TORCH);
        assertThat(s.files()).containsExactly(v.resolve("model.pt"));
    }

    @Test
    void overrideOfAMissingFormatListsTheInstalledOnes() throws IOException {
        Path v = versionWith("model.onnx");
        assertThatThrownBy(() -> registry.select(v, "pmml"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION))
                .hasMessage("model format 'pmml' (for " + v + ") is not installed; installed formats: [onnx, torchscript]");
    }

    @Test
    void overrideWithoutItsFilesIsNotFound() throws IOException {
        Path v = versionWith("model.onnx");
        assertThatThrownBy(() -> registry.select(v, "torchscript"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessage("no torchscript model in " + v + ": saw [model.onnx]; expected *.pt/*.torchscript");
    }

    @Test
    void nothingRecognisedListsTheFilesAndInstalledPatterns() throws IOException {
        Path v = versionWith("b.bin", "a.txt");
        Files.createDirectory(v.resolve("variables"));
        assertThatThrownBy(() -> registry.select(v, null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessage("no model in " + v + ": saw [a.txt, b.bin, variables/]; expected *.onnx (onnx) or "
                        + "*.pt/*.torchscript (torchscript)");
    }

    @Test
    void longListingsAreCapped() throws IOException {
        String[] files = new String[25];
        for (int i = 0; i < files.length; i++) {
            files[i] = String.format("f%02d.txt", i);
        }
        Path v = versionWith(files);
        assertThatThrownBy(() -> registry.select(v, null))
                .hasMessageContaining("f19.txt, ... and 5 more]")
                .hasMessageNotContaining("f20.txt");
    }

    @Test
    void twoFilesOfOneFormatAreAmbiguous() throws IOException {
        Path v = versionWith("b.onnx", "a.onnx");
        assertThatThrownBy(() -> registry.select(v, null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessage("several model files in " + v + ": [a.onnx, b.onnx]; keep one, or set format: in model.yaml");
    }

    @Test
    void twoFormatsAreAmbiguous() throws IOException {
        Path v = versionWith("model.onnx", "model.pt");
        assertThatThrownBy(() -> registry.select(v, null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessage("several model formats in " + v + ": onnx [model.onnx], torchscript [model.pt]; keep one, "
                        + "or set format: in model.yaml");
    }

    @Test
    void duplicateFormatNamesAreRejected() {
        assertThatThrownBy(() -> new FormatRegistry(List.of(ONNX, new SuffixFormat("ONNX", ".onnx2"))))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("two model formats are both named 'onnx'");
    }

    /** Found through META-INF/services, so it needs a public no-argument constructor. */
    public static final class ServiceLoadedFormat implements ModelFormat {
        @Override
        public String name() {
            return "service-loaded-test-format";
        }

        @Override
        public List<Path> candidates(VersionListing listing) {
            return List.of();
        }

        @Override
        public LoadedModel load(ModelFiles files, LoadContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void loadUsesTheThreadContextClassLoader() throws IOException {
        Path services = Files.createDirectories(dir.resolve("cp/META-INF/services"));
        Files.writeString(services.resolve(ModelFormat.class.getName()), ServiceLoadedFormat.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()},
                FormatRegistryTest.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            FormatRegistry loaded = FormatRegistry.load();
            assertThat(loaded.names()).contains("service-loaded-test-format");
            assertThat(loaded.byName("Service-Loaded-Test-Format")).get().isInstanceOf(ServiceLoadedFormat.class);
        } finally {
            thread.setContextClassLoader(previous);
        }
        assertThat(FormatRegistry.load().names()).doesNotContain("service-loaded-test-format");
    }
}
