package io.govmedia.publishing;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** What a publisher reports of one send or check. {@code state} holds the channel's ids (publish_id, msg_id…). */
sealed interface Outcome {

  /** Out: the channel's id of the publication and its public URL (either may be null when the channel gives none). */
  record Published(String channelId, String url, JsonObject state) implements Outcome {
  }

  /** Accepted, the result comes later (a free publish job): ask again with {@code check} after {@code checkAfter}. */
  record Pending(JsonObject state, Duration checkAfter) implements Outcome {
  }

  /**
   * Known not to have published: the channel refused before sending, the account is not configured, a token
   * error. {@code retryable}: trying again later may succeed (rate limits, busy, tokens), after {@code retryAfter}.
   */
  record Failed(String code, String message, boolean retryable, Duration retryAfter) implements Outcome {
  }

  /** The send may or may not have happened (a timeout after the request left): never send again blind. */
  record Unknown(String code, String message, JsonObject state) implements Outcome {
  }

  /** From a check only: the channel has no trace of the send. */
  record NotFound(String message) implements Outcome {
  }
}
