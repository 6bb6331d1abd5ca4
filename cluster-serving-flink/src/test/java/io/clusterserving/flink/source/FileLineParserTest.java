package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileLineParserTest {
    private final FileLineParser csv = new FileLineParser(true);
    private final FileLineParser jsonLines = new FileLineParser(false);

    @Test
    void csvLineOfTheSeedBecomesOneInstance() {
        QueueRequest r = csv.map("my-data,0.0 1.5 -2e-3");
        assertThat(r.isRejected()).isFalse();
        assertThat(r.uri()).isEqualTo("my-data");
        assertThat(r.data()).isEqualTo("{\"instances\":[[0.0,1.5,-2e-3]]}");
        assertThat(csv.map("\"q\",\"1,2\"").data()).isEqualTo("{\"instances\":[[1,2]]}");
        assertThat(csv.map("one,7").data()).isEqualTo("{\"instances\":[7]}");
    }

    @Test
    void badCsvLinesAreRejectedNamingTheProblem() {
        assertThat(csv.map("u1,1 x 3").rejection()).contains("value 1").contains("'x'");
        assertThat(csv.map("u2,").rejection()).contains("'data' is empty");
        assertThat(csv.map("lonely").rejection()).contains("expected uri,data");
        assertThat(csv.map("u3,NaN").rejection()).contains("not a finite number");
        assertThat(FileLineParser.isCsvHeader("uri,data")).isTrue();
        assertThat(FileLineParser.isCsvHeader("\"uri\", \"data\"")).isTrue();
        assertThat(FileLineParser.forPath("/in/requests.CSV").map("a,1").uri()).isEqualTo("a");
    }

    @Test
    void jsonLinesUseTheKafkaEnvelope() {
        QueueRequest r = jsonLines.map("{\"uri\": \"j1\", \"version\": 3, \"data\": {\"instances\": [1]}}");
        assertThat(r.uri()).isEqualTo("j1");
        assertThat(r.version()).isEqualTo(3L);
        assertThat(r.data()).isEqualTo("{\"instances\": [1]}");
        assertThat(r.ackId()).isNull();
        QueueRequest bad = jsonLines.map("{\"uri\": \"j2\"}");
        assertThat(bad.uri()).isEqualTo("j2");
        assertThat(bad.rejection()).contains("'data' is missing");
        assertThat(jsonLines.map("not json").isRejected()).isTrue();
    }
}
