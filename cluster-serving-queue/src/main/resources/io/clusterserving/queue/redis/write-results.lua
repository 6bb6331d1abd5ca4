-- Writes one batch of Cluster Serving results, then acknowledges the request entries they answer.
-- One script per batch instead of 3-5 commands per result: Redis parses, dispatches and answers one
-- command, and the client tracks one reply. A failing call aborts the script before the XACK, so an
-- entry is never acknowledged unless every result of its batch was written.
--
-- KEYS[1]    the request stream; KEYS[2..n+1] the result hashes; further KEYS: reply_to streams
-- ARGV[1]    TTL in milliseconds for result hashes and reply streams
-- ARGV[2]    the consumer group
-- ARGV[3]    n, the number of results; then for each result:
--            s, s stale hash fields to delete; p, p field/value pairs to set;
--            r, the KEYS index of its reply stream (0: none) and, when r > 0, q, q field/value pairs
-- the rest   stream entry ids to XACK
local ttl = ARGV[1]
local group = ARGV[2]
local n = tonumber(ARGV[3])
local a = 4
for i = 1, n do
  local key = KEYS[i + 1]
  local stale = tonumber(ARGV[a])
  a = a + 1
  if stale > 0 then
    redis.call('HDEL', key, unpack(ARGV, a, a + stale - 1))
    a = a + stale
  end
  local fields = tonumber(ARGV[a])
  a = a + 1
  redis.call('HSET', key, unpack(ARGV, a, a + 2 * fields - 1))
  a = a + 2 * fields
  redis.call('PEXPIRE', key, ttl)
  local reply = tonumber(ARGV[a])
  a = a + 1
  if reply > 0 then
    local replyFields = tonumber(ARGV[a])
    a = a + 1
    redis.call('XADD', KEYS[reply], '*', unpack(ARGV, a, a + 2 * replyFields - 1))
    a = a + 2 * replyFields
    -- A reply stream whose client vanished must not live forever.
    redis.call('PEXPIRE', KEYS[reply], ttl)
  end
end
local acked = 0
-- unpack() is bounded by Lua's C stack, hence chunks.
while a <= #ARGV do
  local last = math.min(a + 499, #ARGV)
  acked = acked + redis.call('XACK', KEYS[1], group, unpack(ARGV, a, last))
  a = last + 1
end
return acked
