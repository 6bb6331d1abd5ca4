package io.clusterserving.flink.modelstream;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.flink.inference.InferenceSettings;
import io.clusterserving.flink.inference.MicroBatchInference;
import io.clusterserving.flink.inference.RequestScorer;
import io.clusterserving.flink.inference.ResultBatch;
import io.clusterserving.queue.envelope.QueueRequest;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.Map;

/**
 * Micro-batched inference (input 1: requests) with models updated at runtime by the model stream
 * (input 2: serialized {@code ModelDescriptor}s, broadcast to every subtask).
 *
 * <p>Broadcast state holds the descriptors only, never loaded models. Each subtask installs a
 * descriptor's version into its own {@link LocalModelRepository} and asks its core to rescan; the
 * core loads the version in the background and switches to it only when it is available, so requests
 * keep being served by the old version until then, and each result names the version that scored it.
 * After a restore, every descriptor in state is installed again before the first request is scored.
 */
public final class ModelStreamInferenceOperator extends MicroBatchInference
        implements TwoInputStreamOperator<QueueRequest, byte[], ResultBatch>, BoundedMultiInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelStreamInferenceOperator.class);

    /** name@version → serialized ModelDescriptor. */
    public static final MapStateDescriptor<String, byte[]> DESCRIPTORS = new MapStateDescriptor<>(
            "model-descriptors", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient BroadcastState<String, byte[]> descriptors;
    private transient ModelLocation seed; // what modelPath names; its versions are linked into the repository
    private transient LocalModelRepository repository;

    public ModelStreamInferenceOperator(InferenceSettings settings) {
        super(settings);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        descriptors = context.getOperatorStateStore().getBroadcastState(DESCRIPTORS);
    }

    @Override
    protected RequestScorer openScorer() throws Exception {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        seed = ModelLocation.resolve(settings.modelPath(), settings.modelName());
        repository = LocalModelRepository.create(Files.createTempDirectory("cluster-serving-models-" + subtask + "-"),
                seed);
        for (Map.Entry<String, byte[]> e : descriptors.entries()) {
            install(e.getValue());
        }
        return RequestScorer.open(settings, repository.location());
    }

    @Override
    public void processElement1(StreamRecord<QueueRequest> element) {
        add(element.getValue());
    }

    @Override
    public void processElement2(StreamRecord<byte[]> element) throws Exception {
        byte[] bytes = element.getValue();
        ModelUpdate update;
        try {
            update = ModelUpdate.parse(bytes);
        } catch (ServingException e) {
            LOG.warn("model stream: ignoring an invalid descriptor: {}", e.getMessage());
            return;
        }
        descriptors.put(update.key(), bytes);
        if (install(bytes)) {
            scorer().reload(repository.location());
        }
    }

    @Override
    public void endInput(int inputId) {
        if (inputId == 1) {
            flush();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (repository != null) {
                repository.close();
            }
            if (seed != null) {
                seed.close();
            }
        }
    }

    /** Installs a descriptor's version; a failure is logged and leaves the serving versions alone. */
    private boolean install(byte[] descriptor) {
        try {
            return repository.install(ModelUpdate.parse(descriptor));
        } catch (ServingException e) {
            LOG.error("model stream: cannot install descriptor: {}", e.getMessage());
            return false;
        }
    }
}
