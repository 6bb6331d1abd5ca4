package io.clusterserving.pmml;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PmmlFormatTest {
    private static final LoadContext CONTEXT = new LoadContext("iris", 3, 0, 0, Map.of());

    @TempDir
    Path dir;

    @Test
    void isRegisteredForTheServiceLoader() {
        assertThat(ServiceLoader.load(ModelFormat.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(format -> {
                    assertThat(format).isInstanceOf(PmmlFormat.class);
                    assertThat(format.name()).isEqualTo("pmml");
                    assertThat(format.describePattern()).isEqualTo("*.pmml");
                });
    }

    @Test
    void candidatesAreRegularFilesEndingInPmml() throws Exception {
        PmmlFormat format = new PmmlFormat();
        assertThat(format.candidates(VersionListing.of(dir))).isEmpty();

        Files.writeString(dir.resolve("model.xml"), "<PMML/>");
        Files.writeString(dir.resolve("model.pmml.bak"), "<PMML/>");
        Files.writeString(dir.resolve("model.onnx"), "x");
        Files.createDirectory(dir.resolve("folder.pmml"));
        assertThat(format.candidates(VersionListing.of(dir))).isEmpty();

        Path model = Files.writeString(dir.resolve("iris.pmml"), "<PMML/>");
        assertThat(format.candidates(VersionListing.of(dir))).containsExactly(model);
        assertThat(format.candidates(VersionListing.of(dir.resolve("missing")))).isEmpty();
    }

    @Test
    void loadsTheOneModelOfAVersionDirectory() throws Exception {
        PmmlDocuments.write(dir, "iris.pmml", PmmlDocuments.irisTree());
        try (LoadedModel model = new PmmlFormat().load(ModelFiles.find(new PmmlFormat(), dir), CONTEXT)) {
            assertThat(model).isInstanceOf(PmmlModel.class);
            Map<String, Tensor> out = model.predict(Signature.DEFAULT_NAME, Map.of(
                    "petal length (cm)", Tensor.ofDoubles(new long[]{1}, 5.0),
                    "petal width (cm)", Tensor.ofFloats(new long[]{1}, 1.0f)), Set.of("probability(versicolor)"));
            assertThat(out.get("probability(versicolor)").getDouble(0)).isCloseTo(49 / 54.0, within(1e-12));
        }
    }

    @Test
    void refusesAnEmptyDirectoryAndAmbiguousOnes() throws Exception {
        PmmlFormat format = new PmmlFormat();
        assertThatThrownBy(() -> format.load(ModelFiles.find(format, dir), CONTEXT))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessageContaining("*.pmml");

        PmmlDocuments.write(dir, "a.pmml", PmmlDocuments.irisTree());
        PmmlDocuments.write(dir, "b.pmml", PmmlDocuments.irisTree());
        assertThatThrownBy(() -> format.load(ModelFiles.find(format, dir), CONTEXT))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("a.pmml").hasMessageContaining("b.pmml");
    }
}
