package io.govmedia.citizen;

import io.vertx.core.Future;

import java.util.function.Consumer;

/**
 * WeChat's content security for what citizens write and upload (msgSecCheck v2 for text, mediaCheckAsync for images,
 * whose verdict arrives later on the mini-program's message push). Calls run on a worker, never the event loop.
 */
public interface Screening {

  /** WeChat's suggestion: pass, review (a person should look) or risky (refuse). */
  enum Verdict {
    PASS("pass"), REVIEW("review"), RISKY("risky");

    private final String wire;

    Verdict(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** WeChat's scenes (v2): 1 profile, 2 comment, 3 forum, 4 social log. */
  enum Scene {
    PROFILE(1), COMMENT(2), FORUM(3), SOCIAL_LOG(4);

    private final int code;

    Scene(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  record TextResult(Verdict verdict, String label, String traceId) {
  }

  /** An image verdict pushed by WeChat for a check started with {@link #image}. */
  record ImageVerdict(String accountId, String traceId, Verdict verdict, String label) {
  }

  /** Checks text written by the citizen of the session. */
  Future<TextResult> text(CitizenSession who, Scene scene, String content);

  /** Starts the asynchronous check of an image WeChat fetches from {@code mediaUrl}; answers WeChat's trace id. */
  Future<String> image(CitizenSession who, Scene scene, String mediaUrl);

  /** Who wants the image verdicts as they arrive (on whichever instance receives the push). */
  void onImageVerdict(Consumer<ImageVerdict> listener);
}
