package io.govmedia.inbox;

import io.govmedia.auth.StaffDirectory;
import io.govmedia.platform.Redis;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link Assignment} in Redis, where every instance sees the counts at once. Each person's open cases are counted per
 * department ({@code assign:dept:<id>}, what {@link #reset} replaces) and in total ({@code assign:open}, the sum of
 * those, what fairness and the cap look at). A pick is one Lua script: Redis runs scripts one at a time, so two
 * instances picking at once never give the same last place under the cap twice. The candidates come from the
 * in-memory {@link StaffDirectory}: no MongoDB read per pick.
 */
final class Assignments implements Assignment {

  static final String OPEN = Redis.PREFIX + "assign:open";
  private static final String DEPARTMENT = Redis.PREFIX + "assign:dept:";
  private static final String LAST = Redis.PREFIX + "assign:last:";

  /**
   * KEYS: totals, the department's counts, the department's last pick; ARGV: the cap, then the candidates in id order.
   * The fewest open cases wins; on a tie the first after the last pick in id order (round robin), which stays fair
   * when people join or leave the department.
   */
  private static final String PICK = """
    local cap = tonumber(ARGV[1])
    local n = #ARGV - 1
    local counts = redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
    local last = redis.call('GET', KEYS[3])
    local start = 1
    if last then
      for i = 1, n do
        if ARGV[i + 1] > last then start = i; break end
      end
    end
    local best, bestCount
    for j = 0, n - 1 do
      local i = (start - 1 + j) % n + 1
      local count = tonumber(counts[i] or '0')
      if count < cap and (best == nil or count < bestCount) then
        best, bestCount = i, count
      end
    end
    if best == nil then return false end
    local id = ARGV[best + 1]
    redis.call('HINCRBY', KEYS[1], id, 1)
    redis.call('HINCRBY', KEYS[2], id, 1)
    redis.call('SET', KEYS[3], id)
    return id
    """;

  /** KEYS: totals, the department's counts; ARGV: the person. */
  private static final String OPENED = """
    redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
    return redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
    """;

  /** As OPENED, down; a count already at 0 stays there (a release reported twice), so totals stay the sums. */
  private static final String RELEASED = """
    if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') <= 0 then return 0 end
    if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
    if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
    return 1
    """;

  /** KEYS: totals, the department's counts; ARGV: person, count, person, count… The old counts leave the totals. */
  private static final String RESET = """
    local old = redis.call('HGETALL', KEYS[2])
    for i = 1, #old, 2 do
      if redis.call('HINCRBY', KEYS[1], old[i], -tonumber(old[i + 1])) <= 0 then redis.call('HDEL', KEYS[1], old[i]) end
    end
    redis.call('DEL', KEYS[2])
    for i = 1, #ARGV, 2 do
      local n = tonumber(ARGV[i + 1])
      if n > 0 then
        redis.call('HSET', KEYS[2], ARGV[i], n)
        redis.call('HINCRBY', KEYS[1], ARGV[i], n)
      end
    end
    return 1
    """;

  private final Redis redis;
  private final StaffDirectory staff;
  private final int cap;
  /** Whether a department's cases wait to be claimed (its setting): then nobody is picked. */
  private final Function<String, Future<Boolean>> claims;

  Assignments(Redis redis, StaffDirectory staff, int cap, Function<String, Future<Boolean>> claims) {
    this.redis = redis;
    this.staff = staff;
    this.cap = cap;
    this.claims = claims;
  }

  @Override
  public Future<String> pick(String departmentId) {
    List<String> candidates = staff.onDuty(departmentId);
    if (candidates.isEmpty()) {
      return Future.succeededFuture(null); // nobody to pick: no need to read the department's setting
    }
    return claims.apply(departmentId)
      .compose(claim -> claim ? Future.succeededFuture(null) : pickOnDuty(departmentId, candidates));
  }

  private Future<String> pickOnDuty(String departmentId, List<String> candidates) {
    List<String> args = new ArrayList<>(candidates.size() + 1);
    args.add(String.valueOf(cap));
    args.addAll(candidates);
    return Redis.await(redis.commands().<String>eval(PICK, ScriptOutputType.VALUE,
      new String[] {OPEN, DEPARTMENT + departmentId, LAST + departmentId}, args.toArray(String[]::new)));
  }

  @Override
  public Future<Void> opened(String staffId, String departmentId) {
    return run(OPENED, departmentId, staffId);
  }

  @Override
  public Future<Void> released(String staffId, String departmentId) {
    return run(RELEASED, departmentId, staffId);
  }

  @Override
  public Future<Void> reset(String departmentId, Map<String, Integer> openCases) {
    List<String> args = new ArrayList<>(openCases.size() * 2);
    openCases.forEach((staffId, count) -> {
      args.add(staffId);
      args.add(String.valueOf(count));
    });
    return run(RESET, departmentId, args.toArray(String[]::new));
  }

  private Future<Void> run(String script, String departmentId, String... args) {
    return Redis.await(redis.commands().<Long>eval(script, ScriptOutputType.INTEGER,
      new String[] {OPEN, DEPARTMENT + departmentId}, args)).mapEmpty();
  }
}
