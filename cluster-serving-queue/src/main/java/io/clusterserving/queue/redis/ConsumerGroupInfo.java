package io.clusterserving.queue.redis;

import io.lettuce.core.api.sync.RedisCommands;

import java.util.ArrayList;
import java.util.List;

/**
 * One consumer group of a stream as {@code XINFO GROUPS} reports it: how many entries it holds
 * pending and the id of the last entry handed to it (null fields: a reply shape we do not know).
 */
public record ConsumerGroupInfo(String name, long pending, String lastDeliveredId) {

    /**
     * The groups of {@code stream}, every one of them.
     *
     * @throws io.lettuce.core.RedisCommandExecutionException when the stream does not exist
     */
    public static List<ConsumerGroupInfo> of(RedisCommands<String, String> redis, String stream) {
        List<ConsumerGroupInfo> groups = new ArrayList<>();
        for (Object g : redis.xinfoGroups(stream)) {
            List<?> fields = (List<?>) g;
            String name = null;
            long pending = 0;
            String lastDelivered = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (String.valueOf(fields.get(i))) {
                    case "name" -> name = String.valueOf(fields.get(i + 1));
                    case "pending" -> pending = ((Number) fields.get(i + 1)).longValue();
                    case "last-delivered-id" -> lastDelivered = String.valueOf(fields.get(i + 1));
                    default -> {
                    }
                }
            }
            groups.add(new ConsumerGroupInfo(name, pending, lastDelivered));
        }
        return groups;
    }
}
