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

  /**
   * On one line, and without a request signature (Cloudinary quotes it back when it refuses one).
   */
  public static String oneLine(String message) {
    return message
        .replaceAll("\\s*[\\r\\n]+\\s*", " ")
        .replaceAll("(?i)(signature[ =:]+)[0-9a-f]{40,64}", "$1[redacted]")
        .trim();
  }

  /** Memory ran out: which setting to raise, and that a rerun resumes. */
  public static String outOfMemory(OutOfMemoryError error) {
    return "out of memory ("
        + oneLine(error)
        + ") with a Java heap of at most "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MB: give the JVM more with -Xmx (for example"
        + " java -Xmx512m -jar cloudinary-backup.jar); the catalog is intact, run again to resume";
  }
}
