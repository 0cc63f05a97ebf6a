package io.govmedia.fakes;

import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fake must speak WeChat's protocol well enough for WxJava itself, or later tests prove nothing. */
@DisplayName("The fake WeChat API, driven by WxJava")
class FakeWeChatTest {

  static FakeWeChat fake;

  @BeforeAll
  static void start() {
    fake = FakeWeChat.start();
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Test
  @DisplayName("WxJava gets a stable access token from it, reuses it, and a forced refresh fetches again")
  void stableToken() throws Exception {
    fake.app("wx00000000000000a1", "secret-a1-0123456789");
    WxMpService wx = service("wx00000000000000a1", "secret-a1-0123456789");
    String token = wx.getAccessToken();
    assertEquals(fake.currentToken("wx00000000000000a1"), token);
    assertEquals(token, wx.getAccessToken());
    assertEquals(1, fake.tokenFetches("wx00000000000000a1"));
    String forced = wx.getAccessToken(true);
    assertNotEquals(token, forced, "force_refresh hands out a new token, as WeChat does");
    assertEquals(fake.currentToken("wx00000000000000a1"), forced);
    assertEquals(2, fake.tokenFetches("wx00000000000000a1"));
  }

  @Test
  @DisplayName("two WxJava services for one app share the stable token instead of invalidating each other")
  void twoServersOneToken() throws Exception {
    fake.app("wx00000000000000b2", "secret-b2-0123456789");
    String first = service("wx00000000000000b2", "secret-b2-0123456789").getAccessToken();
    String second = service("wx00000000000000b2", "secret-b2-0123456789").getAccessToken();
    assertEquals(first, second);
  }

  @Test
  @DisplayName("a wrong AppSecret and a scripted error reach WxJava as WeChat error codes")
  void errors() throws Exception {
    fake.app("wx00000000000000c3", "secret-c3-0123456789");
    WxErrorException wrong = assertThrows(WxErrorException.class,
      () -> service("wx00000000000000c3", "not-the-secret-000").getAccessToken());
    assertEquals(40125, wrong.getError().getErrorCode());

    fake.failNext("/cgi-bin/stable_token", 45009);
    WxErrorException quota = assertThrows(WxErrorException.class,
      () -> service("wx00000000000000c3", "secret-c3-0123456789").getAccessToken());
    assertEquals(45009, quota.getError().getErrorCode());
    assertNotEquals(null, service("wx00000000000000c3", "secret-c3-0123456789").getAccessToken(),
      "after the scripted failure the next call succeeds");
  }

  private static WxMpService service(String appId, String secret) {
    WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();
    config.setAppId(appId);
    config.setSecret(secret);
    config.useStableAccessToken(true);
    config.setHostConfig(new WxMpHostConfig(fake.baseUrl(), fake.baseUrl(), fake.baseUrl()));
    WxMpServiceImpl service = new WxMpServiceImpl();
    service.setWxMpConfigStorage(config);
    service.setMaxRetryTimes(0);
    return service;
  }
}
