package io.clusterserving.tensorflow.warmup;

import com.google.protobuf.InvalidProtocolBufferException;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.ExampleInputCodec;
import io.clusterserving.protocol.grpc.TensorProtoCodec;
import io.clusterserving.protocol.grpc.tensorflow.TensorProto;
import io.clusterserving.protocol.grpc.tfserving.Input;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictionLog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TF Serving's SavedModel warmup: replays the PredictionLog records of
 * {@code assets.extra/tf_serving_warmup_requests} (a TFRecord file) against a freshly loaded model
 * before it takes traffic, so lazy initialisation and first-run costs are paid up front. Predict,
 * classify and regress logs are replayed; other kinds are skipped with a warning. A record that fails
 * fails the load, as in TF Serving.
 */
public final class WarmupReplay {
    /** TF Serving's limit on warmup records. */
    public static final int MAX_RECORDS = 1000;
    private static final System.Logger LOG = System.getLogger(WarmupReplay.class.getName());

    private WarmupReplay() {
    }

    /** Replays every supported record {@code iterations} times; returns how many records were replayed once. */
    public static int replay(LoadedModel model, Path file, int iterations) {
        List<PredictionLog> logs = read(file);
        int replayed = 0;
        for (int pass = 0; pass < iterations; pass++) {
            replayed = 0;
            for (int i = 0; i < logs.size(); i++) {
                if (run(model, logs.get(i), i, file, pass == 0)) {
                    replayed++;
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "warmup: replayed {0} of {1} records of {2}, {3} time(s)", replayed,
                logs.size(), file, iterations);
        return replayed;
    }

    static List<PredictionLog> read(Path file) {
        List<PredictionLog> logs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             TfRecordReader records = new TfRecordReader(new java.io.BufferedInputStream(in), file.toString())) {
            for (byte[] data = records.next(); data != null; data = records.next()) {
                if (logs.size() == MAX_RECORDS) {
                    throw ServingException.invalidArgument("%s has more than %d warmup records", file, MAX_RECORDS);
                }
                try {
                    logs.add(PredictionLog.parseFrom(data));
                } catch (InvalidProtocolBufferException e) {
                    throw new ServingException(StatusCode.DATA_LOSS, file + ": warmup record " + logs.size()
                            + " is not a PredictionLog: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw ServingException.internal("cannot read warmup file " + file + ": " + e.getMessage(), e);
        }
        return logs;
    }

    private static boolean run(LoadedModel model, PredictionLog log, int index, Path file, boolean warn) {
        try {
            switch (log.getLogTypeCase()) {
                case PREDICT_LOG -> {
                    PredictRequest request = log.getPredictLog().getRequest();
                    Map<String, Tensor> inputs = new LinkedHashMap<>();
                    for (Map.Entry<String, TensorProto> e : request.getInputsMap().entrySet()) {
                        inputs.put(e.getKey(), TensorProtoCodec.toTensor(e.getKey(), e.getValue()));
                    }
                    model.predict(request.getModelSpec().getSignatureName(), inputs,
                            Set.copyOf(request.getOutputFilterList()));
                    return true;
                }
                case CLASSIFY_LOG -> {
                    var request = log.getClassifyLog().getRequest();
                    model.classify(request.getModelSpec().getSignatureName(), examples(request.getInput()),
                            context(request.getInput()));
                    return true;
                }
                case REGRESS_LOG -> {
                    var request = log.getRegressLog().getRequest();
                    model.regress(request.getModelSpec().getSignatureName(), examples(request.getInput()),
                            context(request.getInput()));
                    return true;
                }
                default -> {
                    if (warn) {
                        LOG.log(System.Logger.Level.WARNING, "warmup: record {0} of {1} is a {2}, which is not "
                                + "replayed", index, file, log.getLogTypeCase());
                    }
                    return false;
                }
            }
        } catch (RuntimeException e) {
            ServingException cause = ServingException.from(e);
            throw new ServingException(cause.code(), "warmup record " + index + " of " + file + " ("
                    + log.getLogTypeCase() + ") failed: " + cause.getMessage(), e);
        }
    }

    private static List<Example> examples(Input input) {
        List<io.clusterserving.protocol.grpc.tensorflow.Example> protos = switch (input.getKindCase()) {
            case EXAMPLE_LIST -> input.getExampleList().getExamplesList();
            case EXAMPLE_LIST_WITH_CONTEXT -> input.getExampleListWithContext().getExamplesList();
            case KIND_NOT_SET -> List.of();
        };
        return protos.stream().map(ExampleInputCodec::toCore).toList();
    }

    private static Example context(Input input) {
        return input.hasExampleListWithContext() && input.getExampleListWithContext().hasContext()
                ? ExampleInputCodec.toCore(input.getExampleListWithContext().getContext()) : null;
    }
}
