package io.govmedia.citizen;

/** Words the fake WeChat's text check answers risky or review for. */
final class Screenings {

  static final String RISKY = "违禁词甲";
  static final String REVIEW = "待审词乙";

  private Screenings() {
  }
}
