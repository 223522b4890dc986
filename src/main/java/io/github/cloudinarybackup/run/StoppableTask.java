package io.github.cloudinarybackup.run;

import java.time.Duration;

/**
 * A command other than a backup that a signal stops in order (a restore): see {@link
 * GracefulStop#attach(StoppableTask)}.
 */
public interface StoppableTask {

  /**
   * Stops the task; called once, on the signal's own thread, and the process ends with the code
   * returned.
   *
   * @param timeout how long work under way may still take
   */
  int stop(String signal, int code, Duration timeout);
}
