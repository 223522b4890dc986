package io.github.cloudinarybackup;

/** Error messages as the tool shows them: one line, whatever the exception carried. */
public final class Messages {

  private Messages() {}

  /** The exception's message (or its type, when it has none) on one line. */
  public static String oneLine(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    return oneLine(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
  }

  public static String oneLine(String message) {
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
