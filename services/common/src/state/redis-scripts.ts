/**
 * Lua scripts, so that each decision is one atomic step in Redis however many replicas race.
 * Times are passed in by the caller (its clock), never read in Lua, so scripts stay deterministic.
 */

/** KEYS[1] cooldown hash, KEYS[2] index zset; ARGV until, reason, now, member. Extend only. */
export const EXTEND_COOLDOWN = `
local current = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if current > tonumber(ARGV[3]) and current >= tonumber(ARGV[1]) then
  return {tostring(current), redis.call('HGET', KEYS[1], 'reason') or ''}
end
redis.call('HSET', KEYS[1], 'until', ARGV[1], 'reason', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
return {ARGV[1], ARGV[2]}
`;

/** KEYS[1] window counter; ARGV amount, ttl ms. */
export const ADD_TO_WINDOW = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(redis.call('PTTL', KEYS[1])) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total
`;

/** KEYS[1] lease zset; ARGV lease id, expiry, now. */
export const HOLD_LEASE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
-- The set lives as long as its longest lease, not the one just added.
local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]
redis.call('PEXPIREAT', KEYS[1], latest)
return redis.call('ZCARD', KEYS[1])
`;
