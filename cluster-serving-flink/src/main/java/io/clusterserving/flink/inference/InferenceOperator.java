package io.clusterserving.flink.inference;

import io.clusterserving.queue.envelope.QueueRequest;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** Micro-batched inference over the models of {@code modelPath} (new version directories are polled). */
public final class InferenceOperator extends MicroBatchInference
        implements OneInputStreamOperator<QueueRequest, ResultBatch>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public InferenceOperator(InferenceSettings settings) {
        super(settings);
    }

    @Override
    protected RequestScorer openScorer() {
        return RequestScorer.open(settings);
    }

    @Override
    public void processElement(StreamRecord<QueueRequest> element) {
        add(element.getValue());
    }

    @Override
    public void endInput() {
        flush();
    }
}
