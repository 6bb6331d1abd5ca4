package io.clusterserving.tensorflow;

import com.google.protobuf.ByteString;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.protocol.grpc.tensorflow.Example;
import io.clusterserving.protocol.grpc.tensorflow.Feature;
import io.clusterserving.protocol.grpc.tensorflow.Features;
import io.clusterserving.protocol.grpc.tensorflow.FloatList;
import io.clusterserving.protocol.grpc.tensorflow.TensorProto;
import io.clusterserving.protocol.grpc.tensorflow.TensorShapeProto;
import io.clusterserving.protocol.grpc.tfserving.ClassificationRequest;
import io.clusterserving.protocol.grpc.tfserving.ClassifyLog;
import io.clusterserving.protocol.grpc.tfserving.ExampleList;
import io.clusterserving.protocol.grpc.tfserving.ExampleListWithContext;
import io.clusterserving.protocol.grpc.tfserving.Input;
import io.clusterserving.protocol.grpc.tfserving.ModelSpec;
import io.clusterserving.protocol.grpc.tfserving.PredictLog;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictionLog;
import io.clusterserving.protocol.grpc.tfserving.RegressLog;
import io.clusterserving.protocol.grpc.tfserving.RegressionRequest;
import io.clusterserving.tensorflow.build.ExampleSavedModels;
import io.clusterserving.tensorflow.warmup.TfRecordReader;
import io.clusterserving.tensorflow.warmup.WarmupReplay;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TF Serving's warmup file: TFRecord framing, PredictionLog records, replay at load. */
class WarmupTest {
    @TempDir
    static Path tmp;
    static Path template;

    @BeforeAll
    static void export() throws IOException {
        template = ExampleSavedModels.halfPlusTwo(tmp.resolve("template/1"));
    }

    @Test
    void crc32cAndFramingMatchTheTfRecordFormat() throws IOException {
        // CRC-32C("123456789") is the standard check value 0xE3069283; TFRecord stores it masked.
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        int c = 0xE3069283;
        assertThat(TfRecordReader.maskedCrc32c(check, 0, check.length))
                .isEqualTo(((c >>> 15) | (c << 17)) + 0xa282ead8);
        byte[] framed = TfRecordReader.frame(new byte[] {7, 8, 9});
        assertThat(framed).hasSize(19);
        assertThat(framed[0]).isEqualTo((byte) 3);
        try (TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(concat(framed, framed)), "mem")) {
            assertThat(r.next()).containsExactly(7, 8, 9);
            assertThat(r.next()).containsExactly(7, 8, 9);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void corruptRecordsAreDataLoss() {
        byte[] framed = TfRecordReader.frame(new byte[] {1, 2, 3, 4});
        framed[13] ^= 1;
        assertThatThrownBy(() -> new TfRecordReader(new ByteArrayInputStream(framed), "mem").next())
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.DATA_LOSS))
                .hasMessageContaining("bad data checksum");
        byte[] truncated = java.util.Arrays.copyOf(TfRecordReader.frame(new byte[] {1, 2, 3, 4}), 15);
        assertThatThrownBy(() -> new TfRecordReader(new ByteArrayInputStream(truncated), "mem").next())
                .hasMessageContaining("truncated record");
    }

    @Test
    void predictClassifyAndRegressRecordsAreReplayedAndOtherKindsSkipped() throws Exception {
        Path dir = copy(template, tmp.resolve("good/1"));
        writeWarmup(dir, List.of(predictLog("serving_default", 1f, 2f, 5f), classifyLog(), regressLog(),
                PredictionLog.newBuilder().setSessionRunLog(ByteString.copyFromUtf8("ignored")).build()));
        try (LoadedModel model = load(dir)) {
            model.warmup();
            assertThat(WarmupReplay.replay(model, dir.resolve(SavedModelLoader.WARMUP_FILE), 2)).isEqualTo(3);
        }
    }

    @Test
    void aFailingRecordFailsWarmupNamingTheRecord() throws Exception {
        Path dir = copy(template, tmp.resolve("bad/1"));
        writeWarmup(dir, List.of(predictLog("serving_default", 1f), predictLog("no_such_signature", 1f)));
        try (LoadedModel model = load(dir)) {
            assertThatThrownBy(model::warmup)
                    .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                            .isEqualTo(StatusCode.INVALID_ARGUMENT))
                    .hasMessageContaining("warmup record 1 of")
                    .hasMessageContaining("no signature 'no_such_signature'");
        }
    }

    @Test
    void tooManyRecordsAreRejected() throws Exception {
        Path dir = copy(template, tmp.resolve("many/1"));
        List<PredictionLog> logs = new ArrayList<>();
        for (int i = 0; i <= WarmupReplay.MAX_RECORDS; i++) {
            logs.add(predictLog("serving_default", i));
        }
        writeWarmup(dir, logs);
        try (LoadedModel model = load(dir)) {
            assertThatThrownBy(model::warmup).hasMessageContaining("more than 1000 warmup records");
        }
    }

    @Test
    void noWarmupFileMeansNothingToDo() throws Exception {
        try (LoadedModel model = load(template)) {
            model.warmup();
            assertThat(template.resolve(SavedModelLoader.WARMUP_FILE)).doesNotExist();
        }
    }

    private static LoadedModel load(Path dir) throws Exception {
        return new TensorFlowFormat().load(ModelFiles.find(new TensorFlowFormat(), dir),
                new LoadContext("half_plus_two", 1, 1, 1, Map.of()));
    }

    static PredictionLog predictLog(String signature, float... xs) {
        TensorProto.Builder x = TensorProto.newBuilder().setDtypeValue(1)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(xs.length))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)));
        for (float v : xs) {
            x.addFloatVal(v);
        }
        return PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two").setSignatureName(signature))
                .putInputs("x", x.build()))).build();
    }

    private static PredictionLog classifyLog() {
        return PredictionLog.newBuilder().setClassifyLog(ClassifyLog.newBuilder().setRequest(
                ClassificationRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setSignatureName(ExampleSavedModels.CLASSIFY_X_TO_Y))
                        .setInput(Input.newBuilder().setExampleList(ExampleList.newBuilder()
                                .addExamples(example("x", 1f)))))).build();
    }

    private static PredictionLog regressLog() {
        return PredictionLog.newBuilder().setRegressLog(RegressLog.newBuilder().setRequest(
                RegressionRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setSignatureName(ExampleSavedModels.REGRESS_X_TO_Y2))
                        .setInput(Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder()
                                .addExamples(example("x2", 1f)).setContext(example("x", 4f)))))).build();
    }

    private static Example example(String feature, float value) {
        return Example.newBuilder().setFeatures(Features.newBuilder().putFeature(feature,
                Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(value)).build())).build();
    }

    private static void writeWarmup(Path dir, List<PredictionLog> logs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PredictionLog log : logs) {
            out.write(TfRecordReader.frame(log.toByteArray()));
        }
        Path file = dir.resolve(SavedModelLoader.WARMUP_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toByteArray());
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
