/**
 * The limiter's Lua scripts: each decision is one script, so however many gateway replicas race, a
 * request is checked against all its limits and counted in all of them (or none) in one atomic step.
 * Times come from the caller's clock (ARGV), never from Redis, as in the shared state's scripts.
 *
 * Windows are hashes of bucket index → count; concurrency is a sorted set of lease id → expiry.
 */

/**
 * ADMIT. KEYS: one per check. ARGV[1] now (ms), ARGV[2] number of checks, then five values per check:
 * kind ('w' window | 'c' concurrency), limit, cost (or lease ttl for 'c'), bucket ms (unused for 'c'),
 * and consume flag '1'/'0' (lease id for 'c').
 * Returns { allowed, denied index (1-based, 0 if none), retry after ms, too large (0/1), then per check
 * used and reset ms }.
 */
export const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local spans = 60
local measured = {}
local denied, retry, tooLarge = 0, 0, 0

for i = 1, count do
  local base = 2 + (i - 1) * 5
  local kind = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local cost = tonumber(ARGV[base + 3])
  local key = KEYS[i]
  if kind == 'w' then
    local bucketMs = tonumber(ARGV[base + 4])
    local current = math.floor(now / bucketMs)
    local oldest = current - spans
    local fields = redis.call('HGETALL', key)
    local used, buckets, stale = 0, {}, {}
    for j = 1, #fields, 2 do
      local bucket = tonumber(fields[j])
      local value = tonumber(fields[j + 1])
      if bucket < oldest then
        stale[#stale + 1] = fields[j]
      else
        used = used + value
        buckets[#buckets + 1] = { bucket, value }
      end
    end
    if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
    table.sort(buckets, function(a, b) return a[1] < b[1] end)
    local newest = current
    if #buckets > 0 then newest = math.max(buckets[#buckets][1], current) end
    measured[i] = { used = used, current = current, bucketMs = bucketMs, newest = newest }
    if used + cost > limit and denied == 0 then
      denied = i
      if cost > limit then
        tooLarge = 1
        retry = (spans + 1) * bucketMs
      else
        local excess = used + cost - limit
        local freed = 0
        for _, bucket in ipairs(buckets) do
          freed = freed + bucket[2]
          if freed >= excess then
            retry = (bucket[1] + spans + 1) * bucketMs - now
            break
          end
        end
        if retry <= 0 then retry = bucketMs end
      end
    end
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    local held = redis.call('ZCARD', key)
    measured[i] = { used = held }
    if held + 1 > limit and denied == 0 then
      denied = i
      retry = 1000
    end
  end
end

local result = { denied == 0 and 1 or 0, denied, math.max(0, retry), tooLarge }
for i = 1, count do
  local base = 2 + (i - 1) * 5
  local kind = ARGV[base + 1]
  local entry = measured[i]
  if kind == 'w' then
    local cost = tonumber(ARGV[base + 3])
    local used = entry.used
    if denied == 0 and ARGV[base + 5] == '1' and cost > 0 then
      redis.call('HINCRBY', KEYS[i], tostring(entry.current), cost)
      redis.call('PEXPIRE', KEYS[i], (spans + 2) * entry.bucketMs)
      used = used + cost
    end
    local reset = 0
    if used > 0 then reset = (entry.newest + spans + 1) * entry.bucketMs - now end
    result[#result + 1] = used
    result[#result + 1] = reset
  else
    local used = entry.used
    if denied == 0 then
      local ttl = tonumber(ARGV[base + 3])
      redis.call('ZADD', KEYS[i], now + ttl, ARGV[base + 5])
      redis.call('PEXPIRE', KEYS[i], ttl + 1000)
      used = used + 1
    end
    result[#result + 1] = used
    result[#result + 1] = 0
  end
end
return result
`;

/**
 * SETTLE. KEYS: the windows to adjust, then the lease sets to release from. ARGV[1] number of windows,
 * then per window its bucket index and delta, then one lease id per remaining key. A bucket that has
 * left the window is not recreated.
 */
export const SETTLE_SCRIPT = `
local windows = tonumber(ARGV[1])
for i = 1, windows do
  local field = ARGV[1 + (i - 1) * 2 + 1]
  local delta = tonumber(ARGV[1 + (i - 1) * 2 + 2])
  if delta ~= 0 and redis.call('HEXISTS', KEYS[i], field) == 1 then
    redis.call('HINCRBY', KEYS[i], field, delta)
  end
end
for i = windows + 1, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[1 + windows * 2 + (i - windows)])
end
return 1
`;

/** RENEW. KEYS: lease sets. ARGV[1] new expiry, ARGV[2] ttl, then one lease id per key. Only live leases are renewed. */
export const RENEW_SCRIPT = `
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', ARGV[1], ARGV[2 + i])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2]) + 1000)
end
return 1
`;

/**
 * PEEK. KEYS: windows and lease sets. ARGV[1] now, then per key its kind ('w' | 'c') and bucket ms (0 for
 * 'c'). Returns per key what ADMIT would count now: the window's last 61 buckets, or the live leases.
 * Read-only.
 */
export const PEEK_SCRIPT = `
local now = tonumber(ARGV[1])
local spans = 60
local result = {}
for i = 1, #KEYS do
  if ARGV[2 * i] == 'w' then
    local oldest = math.floor(now / tonumber(ARGV[2 * i + 1])) - spans
    local fields = redis.call('HGETALL', KEYS[i])
    local used = 0
    for j = 1, #fields, 2 do
      if tonumber(fields[j]) >= oldest then used = used + tonumber(fields[j + 1]) end
    end
    result[i] = used
  else
    result[i] = redis.call('ZCOUNT', KEYS[i], '(' .. now, '+inf')
  end
end
return result
`;
