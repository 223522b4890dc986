package io.github.cloudinarybackup.observe;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import java.util.regex.Pattern;

/**
 * The tool's log lines on standard output, through the JDK's own logging (SLF4J's {@code
 * slf4j-jdk14} binding): {@code 12:00:00.000 WARN BackupRun message}.
 *
 * <p>Why not log4j: it loaded some 650 classes and took a fifth of a second of the start on these 2
 * cores, for one console line format (docs/benchmarks.md, session 11).
 *
 * <p>Secrets never reach a line: signatures, api secrets and keys, Authorization headers and the
 * secret in a {@code cloudinary://} URL are masked in every message and stack trace, whatever the
 * level. Levels: {@code -Dcloudinary-backup.log-level} for the tool (INFO), {@code
 * -Dcloudinary-backup.library-log-level} for Camel, the HTTP client, MapDB and Quartz (WARN).
 */
public final class ConsoleLogging {

  /** The tool's own loggers, at {@code log-level}. */
  private static final String TOOL = "io.github.cloudinarybackup";

  /** The libraries whose chatter stays at {@code library-log-level}. */
  private static final List<String> LIBRARIES =
      List.of("org.apache.camel", "org.apache.hc", "org.mapdb", "org.quartz");

  /** Held: the JDK keeps loggers only weakly, and a collected one would forget its level. */
  private static final List<Logger> CONFIGURED = new java.util.ArrayList<>();

  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)((?:signature|api_secret|api_key)=|Authorization:\\s*\\w+\\s|cloudinary://[^:@\\s]+:)"
              + "[^&\\s\"',@]+");

  private ConsoleLogging() {}

  /** Replaces the JDK's default configuration (INFO and up, two lines each, on stderr). */
  public static synchronized void install(PrintStream out) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    StreamHandler handler =
        new StreamHandler(out, new LineFormat()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush(); // each line as it happens, as a console does
          }
        };
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    CONFIGURED.clear();
    CONFIGURED.add(root);
    Logger tool = Logger.getLogger(TOOL);
    tool.setLevel(level(System.getProperty("cloudinary-backup.log-level", "INFO")));
    CONFIGURED.add(tool);
    Level libraries = level(System.getProperty("cloudinary-backup.library-log-level", "WARN"));
    for (String name : LIBRARIES) {
      Logger library = Logger.getLogger(name);
      library.setLevel(libraries);
      CONFIGURED.add(library);
    }
  }

  /** Masks the secrets {@code text} may hold. */
  public static String mask(String text) {
    return text == null ? null : SECRET.matcher(text).replaceAll("$1***");
  }

  /** SLF4J's level names (as SLF4J maps them onto the JDK's), and the JDK's own. */
  static Level level(String name) {
    return switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE", "ALL" -> Level.ALL;
      case "DEBUG" -> Level.FINE;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "SEVERE" -> Level.SEVERE;
      case "OFF" -> Level.OFF;
      default -> Level.INFO;
    };
  }

  /** The level as SLF4J names it. */
  static String levelName(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (value >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (value >= Level.INFO.intValue()) {
      return "INFO";
    } else if (value >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  /** One line: time, level, the logger's simple name (22 wide), the masked message. */
  static final class LineFormat extends Formatter {

    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
      String name = record.getLoggerName() == null ? "" : record.getLoggerName();
      name = name.substring(name.lastIndexOf('.') + 1);
      if (name.length() > 22) {
        name = name.substring(name.length() - 22); // as log4j's %.22c: the end is kept
      }
      StringBuilder line = new StringBuilder(128);
      TIME.formatTo(Instant.ofEpochMilli(record.getMillis()), line);
      line.append(' ').append(String.format("%-5s %-22s ", levelName(record.getLevel()), name));
      line.append(mask(formatMessage(record))).append(System.lineSeparator());
      if (record.getThrown() != null) {
        java.io.StringWriter trace = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        line.append(mask(trace.toString()));
      }
      return line.toString();
    }
  }
}
