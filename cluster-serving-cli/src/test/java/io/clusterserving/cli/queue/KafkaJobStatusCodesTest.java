package io.clusterserving.cli.queue;

import io.clusterserving.queue.testing.KafkaBroker;
import io.clusterserving.queue.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link JobStatusCodesTest} over an in-process Kafka broker. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaJobStatusCodesTest extends JobStatusCodesTest {
    private static final String IN = "status-codes";
    private static final String OUT = IN + "-results";

    @TempDir
    static Path repo;
    static String brokers;

    @BeforeAll
    static void start(KafkaBroker broker) throws Exception {
        broker.createTopics(1, IN, OUT);
        brokers = broker.bootstrapServers();
        startModelsAndDirectServer(repo);
        startJobAndFrontend(repo, "jobName: " + IN + "\nqueueUsed: kafka\nkafkaUrl: " + brokers,
                "kafka://" + brokers + "/" + IN);
    }

    @Override
    String[] queueFlags() {
        return new String[] {"--kafka", brokers, "--topic", IN};
    }
}
