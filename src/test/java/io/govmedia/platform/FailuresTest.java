package io.govmedia.platform;

import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import org.bson.BsonDocument;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a client is told when a request fails on a store, told apart by the drivers' exception types. */
@DisplayName("Failures on the stores")
class FailuresTest {

  private static final ServerAddress MONGO = new ServerAddress("127.0.0.1", 27017);

  @Test
  @DisplayName("Redis gone, whatever Lettuce's message says (rejected while disconnected, dropped in flight, timed out, loading, a read-only replica after failover), is a 503 to retry")
  void redisOutages() {
    for (Throwable failure : List.of(new RedisException("Connection closed"),
      new RedisException("Currently not connected. Commands are rejected."), new RedisException("Connection is closed"),
      new RedisConnectionException("Unable to connect to 127.0.0.1:6379"), new RedisCommandTimeoutException("Command timed out after 2 second(s)"),
      new RedisLoadingException("LOADING Redis is loading the dataset in memory"),
      new RedisReadOnlyException("READONLY You can't write against a read only replica."),
      new CompletionException(new RedisException("Connection closed")))) {
      Problem problem = Failures.toProblem(failure, 500);
      assertEquals(503, problem.status(), failure::toString);
      assertEquals("store-unavailable", problem.code());
      assertEquals(5, problem.extensions().getInteger("retryAfterSeconds"));
    }
  }

  @Test
  @DisplayName("MongoDB unreachable, timing out or changing its primary is a 503 to retry")
  void mongoOutages() {
    for (Throwable failure : List.of(new MongoTimeoutException("Timed out while waiting for a server"),
      new MongoSocketReadException("Prematurely reached end of stream", MONGO),
      new MongoNotPrimaryException(BsonDocument.parse("{ok: 0, code: 10107, errmsg: 'not primary'}"), MONGO),
      new CompletionException(new MongoTimeoutException("Timed out")))) {
      assertEquals(503, Failures.toProblem(failure, 500).status(), failure::toString);
    }
  }

  @Test
  @DisplayName("an error reply from Redis, or any other failure, stays a 500 even when its message mentions a lost connection")
  void otherFailures() {
    for (Throwable failure : List.of(new RedisCommandExecutionException("ERR not connected to the upstream, sorry"),
      new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind of value"),
      new IllegalStateException("not connected"), new NoStackTraceThrowable("Connection closed"))) {
      Problem problem = Failures.toProblem(failure, 500);
      assertEquals(500, problem.status(), failure::toString);
      assertEquals("internal-error", problem.code());
    }
  }
}
