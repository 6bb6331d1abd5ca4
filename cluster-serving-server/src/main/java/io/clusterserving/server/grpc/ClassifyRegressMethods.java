package io.clusterserving.server.grpc;

import io.clusterserving.core.model.Classification;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.ClassifyRequest;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.RegressRequest;
import io.clusterserving.protocol.grpc.ExampleInputCodec;
import io.clusterserving.protocol.grpc.ModelSpecCodec;
import io.clusterserving.protocol.grpc.tfserving.Class;
import io.clusterserving.protocol.grpc.tfserving.ClassificationResult;
import io.clusterserving.protocol.grpc.tfserving.Classifications;
import io.clusterserving.protocol.grpc.tfserving.Input;
import io.clusterserving.protocol.grpc.tfserving.Regression;
import io.clusterserving.protocol.grpc.tfserving.RegressionResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Classify and Regress over tf.Examples through {@link InferenceService#classify} and
 * {@link InferenceService#regress}, so every format that answers them (TensorFlow classify/regress
 * signatures, PMML classification/regression models) answers over gRPC too; the others get UNIMPLEMENTED
 * from the service.
 */
final class ClassifyRegressMethods {
    private final InferenceService service;

    ClassifyRegressMethods(InferenceService service) {
        this.service = service;
    }

    /** A classify or regress answer and the spec (model, version, signature) the response reports. */
    record Answer<T>(io.clusterserving.protocol.grpc.tfserving.ModelSpec servedBy, T result) {
    }

    CompletableFuture<Answer<ClassificationResult>> classify(ModelSpec spec, Input input) {
        ExampleInputCodec.Examples examples = ExampleInputCodec.toExamples(input);
        return service.classify(new ClassifyRequest(spec, examples.examples(), examples.context()))
                .thenApply(r -> new Answer<>(ModelSpecCodec.served(r.modelName(), r.version(), r.signatureName()),
                        classificationProto(r.classifications())));
    }

    CompletableFuture<Answer<RegressionResult>> regress(ModelSpec spec, Input input) {
        ExampleInputCodec.Examples examples = ExampleInputCodec.toExamples(input);
        return service.regress(new RegressRequest(spec, examples.examples(), examples.context()))
                .thenApply(r -> new Answer<>(ModelSpecCodec.served(r.modelName(), r.version(), r.signatureName()),
                        regressionProto(r.values())));
    }

    private static ClassificationResult classificationProto(List<List<Classification>> classifications) {
        ClassificationResult.Builder out = ClassificationResult.newBuilder();
        for (List<Classification> classes : classifications) {
            Classifications.Builder row = Classifications.newBuilder();
            for (Classification c : classes) {
                row.addClasses(Class.newBuilder().setLabel(c.label()).setScore(c.score()));
            }
            out.addClassifications(row);
        }
        return out.build();
    }

    private static RegressionResult regressionProto(List<Float> values) {
        RegressionResult.Builder out = RegressionResult.newBuilder();
        for (Float v : values) {
            out.addRegressions(Regression.newBuilder().setValue(v));
        }
        return out.build();
    }
}
