package io.github.cloudinarybackup;

/** Error messages as the tool shows them: one line, whatever the exception carried. */
public final class Messages {

  private Messages() {}

  /**
   * The exception's message on one line; with its type in front when the message alone would not
   * say what happened (none, or a single word or number such as an index: "-1169846794").
   */
  public static String oneLine(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    String message = t.getMessage() == null ? "" : oneLine(t.getMessage());
    if (message.isEmpty()) {
      return t.getClass().getSimpleName();
    }
    return message.indexOf(' ') < 0 ? t.getClass().getSimpleName() + ": " + message : message;
  }

  public static String oneLine(String message) {
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
