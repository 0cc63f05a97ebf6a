package io.govmedia.content;

/** The two kinds of reviewed content so far; posts will join them. */
public enum ItemKind {
  DOCUMENT("document", "documents", "政策文件"),
  INTERPRETATION("interpretation", "interpretations", "政策解读");

  private final String wire;
  private final String collection;
  private final String label;

  ItemKind(String wire, String collection, String label) {
    this.wire = wire;
    this.collection = collection;
    this.label = label;
  }

  public String wire() {
    return wire;
  }

  String collection() {
    return collection;
  }

  public String label() {
    return label;
  }
}
