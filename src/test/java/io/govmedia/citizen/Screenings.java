package io.govmedia.citizen;

/** Words the fake WeChat's text check answers risky or review for. */
final class Screenings {

  static final String RISKY = "RISKY";
  static final String REVIEW = "REVIEW";

  private Screenings() {
  }
}
