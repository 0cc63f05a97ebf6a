package io.govmedia.content;

/** The kinds of reviewed content: policy documents, their interpretations, and posts for the channels. */
public enum ItemKind {
  DOCUMENT("document", "documents", "政策文件"),
  INTERPRETATION("interpretation", "interpretations", "政策解读"),
  POST("post", "posts", "推送");

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
