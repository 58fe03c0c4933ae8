import { script } from "./connection.js";

/**
 * The Lua scripts behind the Redis stores: whatever must touch more than one
 * key, or read and write in one step, is a script, so that it is atomic and
 * costs one round trip. Deadlines use Redis's clock (TIME), never a process's,
 * so processes on machines whose clocks differ agree on what has expired.
 */

/** Milliseconds since the epoch on Redis's clock. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Session get: the record, with its time to live slid forward by its own idle
 * timeout and its deadline in the index moved with it.
 * KEYS: record, index. ARGV: id.
 */
export const SESSION_GET = script(
  "session_get",
  `local v = redis.call('HMGET', KEYS[1], 'r', 't')
if not v[1] then return false end
local ttl = tonumber(v[2])
redis.call('PEXPIRE', KEYS[1], ttl)
${NOW}
redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
return v[1]`,
);

/** Session set. KEYS: record, index. ARGV: id, JSON, time to live (ms). */
export const SESSION_SET = script(
  "session_set",
  `local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'r', ARGV[2], 't', ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
${NOW}
redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
return 1`,
);

/**
 * Session delete: 1 when it existed. A session that was there (its record, or
 * only its place in the index when Redis expired the record first) is
 * announced on ARGV[2] as `<id> <origin>`, so every other process ends what it
 * holds for it (its GET stream, its running requests), as a sweep would.
 * KEYS: record, index. ARGV: id, channel, origin (the deleting store's tag).
 */
export const SESSION_DELETE = script(
  "session_delete",
  `local n = redis.call('DEL', KEYS[1])
local indexed = redis.call('ZREM', KEYS[2], ARGV[1])
if n == 1 or indexed == 1 then redis.call('PUBLISH', ARGV[2], ARGV[1] .. ' ' .. ARGV[3]) end
return n`,
);

/** Sessions whose deadline has not passed. KEYS: index. */
export const SESSION_COUNT = script(
  "session_count",
  `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`,
);

/**
 * Claims up to ARGV[3] sessions past their deadline whose record Redis has
 * expired, and announces each on the channel ARGV[2]: the script runs
 * atomically, so however many processes sweep, each expiry is announced once.
 * KEYS: index. ARGV: record key prefix, channel, limit.
 */
export const SESSION_SWEEP = script(
  "session_sweep",
  `${NOW}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local gone = 0
for _, id in ipairs(ids) do
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then
    redis.call('ZREM', KEYS[1], id)
    redis.call('PUBLISH', ARGV[2], id)
    gone = gone + 1
  end
end
return gone`,
);

/** Subscribe. KEYS: the session's URIs, the URI's sessions. ARGV: URI, session id. */
export const SUBSCRIPTION_ADD = script(
  "subscription_add",
  `redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1`,
);

/** Unsubscribe: 1 when the session was subscribed. Same KEYS and ARGV as add. */
export const SUBSCRIPTION_REMOVE = script(
  "subscription_remove",
  `redis.call('SREM', KEYS[1], ARGV[1])
return redis.call('SREM', KEYS[2], ARGV[2])`,
);

/** Forgets a session's subscriptions. KEYS: the session's URIs. ARGV: URI key prefix, session id. */
export const SUBSCRIPTION_CLEAR = script(
  "subscription_clear",
  `local uris = redis.call('SMEMBERS', KEYS[1])
for _, uri in ipairs(uris) do redis.call('SREM', ARGV[1] .. uri, ARGV[2]) end
redis.call('DEL', KEYS[1])
return #uris`,
);

/**
 * Stores an event: XADD (length bounded, roughly: MAXLEN ~ trims whole
 * nodes, which is cheap), the stream's time to live renewed, and the stream
 * named in its session's set. Returns the entry id.
 * KEYS: stream, session's streams. ARGV: JSON, max length, retention (ms), stream id.
 */
export const EVENT_ADD = script(
  "event_add",
  `local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return id`,
);

/**
 * The entries after an id (exclusive), or false when the stream is unknown.
 * A replay counts as use: the time to live starts again, the finished
 * stream's shorter window (its last entry, field 'k') or else the retention.
 * KEYS: stream. ARGV: entry id, retention (ms).
 */
export const EVENT_REPLAY = script(
  "event_replay",
  `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local keep = ARGV[2]
if last[1] and last[1][2][1] == 'k' then keep = last[1][2][2] end
redis.call('PEXPIRE', KEYS[1], keep)
return entries`,
);

/**
 * A stream is complete: a marker entry records its window (so a replay
 * elsewhere can renew it), and the time to live shrinks to it. Nothing is
 * made for a stream that does not exist. KEYS: stream. ARGV: window (ms).
 */
export const EVENT_FINISH = script(
  "event_finish",
  `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('XADD', KEYS[1], '*', 'k', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`,
);

/** Forgets every stream of a session. KEYS: the session's streams. ARGV: stream key prefix. */
export const EVENT_DELETE_SESSION = script(
  "event_delete_session",
  `local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return #ids`,
);
