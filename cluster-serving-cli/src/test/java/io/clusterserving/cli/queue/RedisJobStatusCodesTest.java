package io.clusterserving.cli.queue;

import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link JobStatusCodesTest} over a real redis-server. */
@ExtendWith(RedisServerExtension.class)
class RedisJobStatusCodesTest extends JobStatusCodesTest {
    private static final String JOB = "status_codes_stream";

    @TempDir
    static Path repo;
    static String redisUri;

    @BeforeAll
    static void start(RedisServer redis) throws Exception {
        redisUri = redis.uri();
        startModelsAndDirectServer(repo);
        startJobAndFrontend(repo, "jobName: " + JOB + "\nredisUrl: " + redis.uri(), redis.uri() + "/" + JOB);
    }

    @Override
    String[] queueFlags() {
        return new String[] {"--redis", redisUri, "--job", JOB};
    }
}
