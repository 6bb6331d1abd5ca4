package io.clusterserving.flink.inference;

import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The records that cross the network between subtasks use Flink's own serializers, not Kryo, and survive nulls. */
class FlinkTypesTest {

    @Test
    void requestsRoundTripWithoutKryo() throws Exception {
        QueueRequest r = new QueueRequest("u", null, 3L, null, "{\"instances\": [1]}", "1-0", null, true);
        assertThat(roundTrip(QueueRequest.class, r)).isEqualTo(r);
    }

    @Test
    void resultBatchesRoundTripWithoutKryo() throws Exception {
        ResultBatch b = new ResultBatch(new QueueResult[] {
                new QueueResult("a", "m", 2L, "{\"predictions\": [1]}", null, null, null, "1-0"),
                new QueueResult("b", null, null, null, "bad", "replies", StatusCode.NOT_FOUND, null)});
        assertThat(roundTrip(ResultBatch.class, b)).isEqualTo(b);
    }

    private static <T> T roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isNotInstanceOf(GenericTypeInfo.class);
        TypeSerializer<T> serializer = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
