package io.github.cloudinarybackup.download;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledFuture;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * One attempt at downloading an original, while it is in flight: the thread doing it, the response
 * body once it exists, and why it was cut short if it was (its deadline passed, or the run is
 * stopping). {@link #abort} may be called from any thread.
 */
public final class Download {

  private final String name;
  private final Thread thread;
  private final AbortableConnections connections;
  private volatile InputStream body;
  private volatile String abortedBecause;
  private volatile ScheduledFuture<?> deadline;

  Download(String name, Thread thread, AbortableConnections connections) {
    this.name = name;
    this.thread = thread;
    this.connections = connections;
  }

  /** What is being downloaded, for log lines: resource type, delivery type and public_id. */
  public String name() {
    return name;
  }

  /** The response body is being read. */
  public void reading(InputStream responseBody) {
    this.body = responseBody;
    if (abortedBecause != null) {
      abortQuietly(responseBody);
    }
  }

  void deadline(ScheduledFuture<?> timer) {
    this.deadline = timer;
  }

  /** Why the download was cut short, or {@code null} if it was not. */
  public String abortedBecause() {
    return abortedBecause;
  }

  /**
   * Cuts the download short: its connection is closed, so whatever it waits for (an answer, the
   * next bytes) fails at once rather than when the server pleases. The first reason given is kept.
   */
  public void abort(String reason) {
    synchronized (this) {
      if (abortedBecause != null) {
        return;
      }
      abortedBecause = reason;
    }
    connections.abort(thread);
    InputStream in = body;
    if (in != null) {
      abortQuietly(in);
    }
  }

  /** The attempt is over, whatever the outcome: its deadline no longer applies. */
  void ended() {
    ScheduledFuture<?> timer = deadline;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /**
   * Gives up the rest of a response body without reading it: closing it would read it to its end,
   * which a server that trickles or never stops sending would make last for ever.
   */
  static void abortQuietly(InputStream in) {
    try {
      if (in instanceof EofSensorInputStream sensor) {
        sensor.abort();
      } else {
        in.close();
      }
    } catch (IOException | RuntimeException e) {
      // the connection is gone either way
    }
  }
}
