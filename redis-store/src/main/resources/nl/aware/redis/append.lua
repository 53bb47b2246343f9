-- Atomic check-and-append of a batch of records to the AWARE event log in Redis (docs/redis.md).
-- KEYS[1] events stream, KEYS[2] chain head (hash: seq, hash)
-- ARGV[1] key prefix, ARGV[2] expected last sequence, ARGV[3] expected head hash ('' when empty),
-- ARGV[4] record count, then 10 per record:
--   type, timestampMs, payload, hash (computed by the client over the chain: Lua has no SHA-256),
--   device (16 hex digits, then ':' and the certificate's counter epoch when known; '' for events that
--   are not frames: a window kept for another epoch is a previous enrolment's and starts afresh),
--   counter (16 hex digits: equal-width hex
--   compares as unsigned 64-bit), frame digest, event id (36 chars), work stream name ('' for none),
--   once key ('' for none): a record kept by a node while Redis was away, appended at most once
-- Answers: {'moved', seq, hash} another node appended first: nothing written, rechain and retry;
--          {'verdicts', v...}  some record may not be appended: nothing written; v = 'fresh', 'replay',
--                              'already' (its once key is taken) or the original event id of a
--                              byte-identical retransmission;
--          {'ok', entryId...}  every record appended, counters and work entries written.
local prefix = ARGV[1]
local head = redis.call('HMGET', KEYS[2], 'seq', 'hash')
local seq = head[1] or '0'
local hash = head[2] or ''
if seq ~= ARGV[2] or hash ~= ARGV[3] then
  return {'moved', seq, hash}
end
local n = tonumber(ARGV[4])
local verdicts = {'verdicts'}
local clean = true
for i = 0, n - 1 do
  local b = 5 + i * 10
  local device = ARGV[b + 4]
  local verdict = 'fresh'
  if ARGV[b + 9] ~= '' and redis.call('HEXISTS', prefix .. 'reconciled', ARGV[b + 9]) == 1 then
    verdict = 'already'
    clean = false
  elseif device ~= '' then
    local dev, epoch = string.match(device, '^([^:]+):?(.*)$')
    local key = prefix .. 'device:' .. dev
    local counter = ARGV[b + 5]
    local highWater = redis.call('HGET', key, 'hw')
    local kept = redis.call('HGET', key, 'e')
    if kept and epoch ~= '' and kept ~= epoch then
      highWater = nil -- a new enrolment: a new counter epoch
    end
    if highWater and counter <= highWater then
      local accepted = redis.call('HGET', key, 'c:' .. counter)
      if accepted and string.sub(accepted, 37) == ARGV[b + 6] then
        verdict = string.sub(accepted, 1, 36)
      else
        verdict = 'replay'
      end
      clean = false
    end
  end
  verdicts[i + 2] = verdict
end
if not clean then
  return verdicts
end
local s = tonumber(seq)
local ids = {'ok'}
for i = 0, n - 1 do
  local b = 5 + i * 10
  s = s + 1
  local id = redis.call('XADD', KEYS[1], '*', 'seq', tostring(s), 'ts', ARGV[b + 1], 'type', ARGV[b],
      'payload', ARGV[b + 2], 'hash', ARGV[b + 3])
  local device = ARGV[b + 4]
  if device ~= '' then
    local dev, epoch = string.match(device, '^([^:]+):?(.*)$')
    local key = prefix .. 'device:' .. dev
    local counter = ARGV[b + 5]
    local recent = prefix .. 'recent:' .. dev
    if epoch ~= '' then
      local kept = redis.call('HGET', key, 'e')
      if kept and kept ~= epoch then
        redis.call('DEL', key, recent)
      end
      redis.call('HSET', key, 'e', epoch)
    end
    redis.call('HSET', key, 'hw', counter, 'c:' .. counter, ARGV[b + 7] .. ARGV[b + 6])
    redis.call('RPUSH', recent, counter)
    if redis.call('LLEN', recent) > 8 then
      redis.call('HDEL', key, 'c:' .. redis.call('LPOP', recent))
    end
  end
  if ARGV[b + 8] ~= '' then
    redis.call('XADD', prefix .. 'work:' .. ARGV[b + 8], '*', 'seq', tostring(s), 'item', ARGV[b + 7])
  end
  if ARGV[b + 9] ~= '' then
    redis.call('HSET', prefix .. 'reconciled', ARGV[b + 9], tostring(s))
  end
  ids[i + 2] = id
end
redis.call('HSET', KEYS[2], 'seq', tostring(s), 'hash', ARGV[5 + (n - 1) * 10 + 3])
return ids
